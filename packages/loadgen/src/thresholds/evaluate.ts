import type { Aggregate } from '../metrics/aggregate.js';
import type { ThresholdPlan } from '../options/plan.js';
import { compare, type ParsedThreshold, parseThreshold } from './parse.js';

/** The outcome of one threshold. */
export interface ThresholdResult {
  metric: string;
  expression: string;
  ok: boolean;
  /** The value tested, in display units; undefined when there were no samples. */
  actual: number | undefined;
  /** Why it failed when it is not a plain comparison (no samples, wrong aggregation for the type). */
  reason?: string;
  abortOnFail: boolean;
}

/** Thresholds parsed once at start, so a syntax error stops the test before it runs. */
export class Thresholds {
  readonly #items: Array<{ plan: ThresholdPlan; parsed: ParsedThreshold }>;

  constructor(plans: readonly ThresholdPlan[]) {
    this.#items = plans.map((plan) => ({ plan, parsed: parseThreshold(plan.metric, plan.expression) }));
  }

  get size(): number {
    return this.#items.length;
  }

  /** Series keys with tags that the workers must keep (`checks{check:auth successful}`). */
  taggedSeries(): string[] {
    return [...new Set(this.#items.map((i) => i.plan.metric).filter((m) => m.includes('{')))];
  }

  evaluate(agg: Aggregate, durationMs: number): ThresholdResult[] {
    return this.#items.map(({ plan, parsed }) => evaluateOne(plan, parsed, agg, durationMs));
  }

  /** The first abortOnFail threshold that fails once its delayAbortEval has passed, if any. */
  shouldAbort(agg: Aggregate, elapsedMs: number): ThresholdResult | undefined {
    for (const { plan, parsed } of this.#items) {
      if (!plan.abortOnFail || elapsedMs < plan.delayAbortEvalMs) continue;
      const r = evaluateOne(plan, parsed, agg, elapsedMs);
      // No samples yet is not a reason to abort: data may still come.
      if (!r.ok && r.actual !== undefined) return r;
    }
    return undefined;
  }
}

function evaluateOne(
  plan: ThresholdPlan,
  t: ParsedThreshold,
  agg: Aggregate,
  durationMs: number,
): ThresholdResult {
  const base = { metric: plan.metric, expression: plan.expression, abortOnFail: plan.abortOnFail };
  const series = agg.values(plan.metric, durationMs);
  let actual: number | undefined;
  if (series === undefined) {
    // A counter that never counted is zero (dropped_iterations: ['count==0'] passes on a clean run).
    if (t.aggregation === 'count') actual = 0;
    else return { ...base, ok: false, actual: undefined, reason: 'no samples' };
  } else {
    const v = series.values as Record<string, number>;
    if (t.aggregation === 'p') {
      actual = series.type === 'trend' ? agg.percentile(plan.metric, t.percentile) : undefined;
    } else {
      actual = v[t.aggregation];
    }
    if (actual === undefined) {
      return {
        ...base,
        ok: false,
        actual: undefined,
        reason: `${t.aggregation === 'p' ? 'p(N)' : t.aggregation} does not apply to a ${series.type}`,
      };
    }
  }
  return { ...base, ok: compare(actual, t.operator, t.value), actual };
}
