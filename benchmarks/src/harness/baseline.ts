import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type BenchResult, isRate } from '../bench-result.js';

/** One accepted figure: what the gate compares a new run's ratio with. */
export interface BaselineCase {
  unit: string;
  value: number;
  reference: number;
  ratio: number;
  /**
   * How much slower than `ratio` a run may be before the gate fails it, as a fraction
   * (0.25: a ratio up to 1.25 × the baseline's passes). Kept when a baseline is re-recorded, so a
   * hand-tuned tolerance survives `--update-baseline`.
   */
  tolerance: number;
}

/** benchmarks/baseline.json: the figures last accepted with `pnpm bench --update-baseline`. */
export interface Baseline {
  /** ISO date of the run that was accepted. */
  recordedAt: string;
  /** Commit the run was taken on (`git rev-parse --short HEAD`, `+dirty` when it had changes). */
  commit: string;
  /** Where: Node version, CPU model and count, and the 1-minute load average during the run. */
  machine: { node: string; cpu: string; cpus: number; loadAverage: number };
  cases: Record<string, BaselineCase>;
}

/**
 * Default tolerances. The protocol engineer measured about ±10 % run-to-run noise of the micro
 * ratios on this shared 2-core machine, so a micro figure fails only past +25 % (2.5 × the noise),
 * and only after reruns (see gate.ts). Macro figures (real sockets, several processes, a kernel
 * scheduler in between) move more: +40 %. Memory per connection: +30 %. Tail latencies (p99)
 * move most: the engine's tick p99 under load was 3.9 ms in one run and 8.0 ms in the next on the
 * busy machine, so a p99 fails only past twice its baseline.
 */
export const DEFAULT_TOLERANCE = { micro: 0.25, macro: 0.4, memory: 0.3, tail: 1 } as const;

/** Suites whose figures are end to end (processes and sockets), not tinybench loops. */
const MACRO_SUITES = new Set(['crowd', 'engine', 'loadgen', 'macro', 'store']);

export function defaultTolerance(result: BenchResult): number {
  const suite = result.name.slice(0, result.name.indexOf(':'));
  if (/\bp99\b/.test(result.name)) return DEFAULT_TOLERANCE.tail;
  if (!isRate(result.unit) && /^(bytes|B|KB|KiB|MB|MiB)(\/\w+)?$/.test(result.unit))
    return DEFAULT_TOLERANCE.memory;
  return MACRO_SUITES.has(suite) ? DEFAULT_TOLERANCE.macro : DEFAULT_TOLERANCE.micro;
}

export function readBaseline(path: string): Baseline | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Baseline;
}

/**
 * The baseline after accepting `results`: every case measured now gets its new figures (keeping
 * its tolerance); cases of suites not run this time (`pnpm bench protocol --update-baseline`)
 * keep their old entry; cases of suites that ran but no longer produce them (renamed, removed)
 * are dropped.
 */
export function acceptResults(
  previous: Baseline | undefined,
  results: readonly BenchResult[],
  meta: Omit<Baseline, 'cases'>,
): Baseline {
  const suiteOf = (name: string) => name.slice(0, name.indexOf(':'));
  const suitesRun = new Set(results.map((r) => suiteOf(r.name)));
  const cases: Record<string, BaselineCase> = {};
  for (const [name, entry] of Object.entries(previous?.cases ?? {})) {
    if (!suitesRun.has(suiteOf(name))) cases[name] = entry;
  }
  for (const r of results) {
    cases[r.name] = {
      unit: r.unit,
      value: round(r.value),
      reference: round(r.reference),
      ratio: round(r.ratio),
      tolerance: previous?.cases[r.name]?.tolerance ?? defaultTolerance(r),
    };
  }
  const sorted: Record<string, BaselineCase> = {};
  for (const name of Object.keys(cases).sort()) sorted[name] = cases[name] as BaselineCase;
  return { ...meta, cases: sorted };
}

export function writeBaseline(path: string, baseline: Baseline): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(baseline, null, 2)}\n`);
}

/** Four significant digits: more is noise, and it keeps the committed file's diffs readable. */
export function round(n: number): number {
  return Number(n.toPrecision(4));
}
