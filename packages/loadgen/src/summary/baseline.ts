import type { Summary } from './summary.js';

/** How far a run may drift from its baseline before `--baseline` fails it (exit code 98). */
export interface BaselineTolerances {
  /** Allowed relative rise of a latency's median and p(95): 0.2 = 20 % slower. @default 0.2 */
  latency: number;
  /**
   * Absolute slack added to latency limits, so sub-millisecond noise on loopback does not fail a
   * run (0.3 ms → 0.5 ms is +66 % and means nothing). @default 1 (ms)
   */
  latencyFloorMs: number;
  /** Allowed absolute change of a rate: checks falling, `*_failed` rising. @default 0.01 */
  rate: number;
  /** Allowed relative fall of iterations per second. @default 0.2 */
  throughput: number;
}

export const DEFAULT_TOLERANCES: BaselineTolerances = {
  latency: 0.2,
  latencyFloorMs: 1,
  rate: 0.01,
  throughput: 0.2,
};

export interface BaselineCheck {
  metric: string;
  stat: string;
  baseline: number;
  current: number;
  limit: number;
  ok: boolean;
}

/** Compares a run with a baseline summary; only series present in both are compared. */
export function compareWithBaseline(
  current: Summary,
  baseline: Summary,
  tolerances: Partial<BaselineTolerances> = {},
): BaselineCheck[] {
  const tol = { ...DEFAULT_TOLERANCES, ...tolerances };
  const out: BaselineCheck[] = [];
  for (const [key, b] of Object.entries(baseline.metrics)) {
    const c = current.metrics[key];
    if (c === undefined || c.type !== b.type || key.includes('{')) continue;
    if (
      b.type === 'trend' &&
      c.type === 'trend' &&
      b.time &&
      key !== 'iteration_duration' &&
      key !== 'iteration_start_delay'
    ) {
      for (const stat of ['med', 'p(95)'] as const) {
        const limit = b.values[stat] * (1 + tol.latency) + tol.latencyFloorMs;
        out.push({
          metric: key,
          stat,
          baseline: b.values[stat],
          current: c.values[stat],
          limit,
          ok: c.values[stat] <= limit,
        });
      }
    } else if (b.type === 'rate' && c.type === 'rate') {
      if (key === 'checks') {
        const limit = b.values.rate - tol.rate;
        out.push({
          metric: key,
          stat: 'rate',
          baseline: b.values.rate,
          current: c.values.rate,
          limit,
          ok: c.values.rate >= limit,
        });
      } else if (key.endsWith('_failed')) {
        const limit = b.values.rate + tol.rate;
        out.push({
          metric: key,
          stat: 'rate',
          baseline: b.values.rate,
          current: c.values.rate,
          limit,
          ok: c.values.rate <= limit,
        });
      }
    } else if (key === 'iterations' && b.type === 'counter' && c.type === 'counter') {
      const limit = b.values.rate * (1 - tol.throughput);
      out.push({
        metric: key,
        stat: 'rate',
        baseline: b.values.rate,
        current: c.values.rate,
        limit,
        ok: c.values.rate >= limit,
      });
    }
  }
  return out;
}
