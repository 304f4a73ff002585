import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchResult, GateKind } from '../bench-result.js';
import { biomeFormat } from './biome-format.js';
import { measuredTolerance, spreadOf, suiteOfCase, type ToleranceRule } from './tolerance.js';

export {
  defaultTolerance,
  SPREAD_FACTOR,
  TOLERANCE_FLOOR as DEFAULT_TOLERANCE,
} from './tolerance.js';

/**
 * One accepted case: what the gate compares a new run's ratio with. Recorded from several runs
 * (`pnpm bench --update-baseline --runs N`): `ratio` is their median, `min` and `max` their range,
 * and the tolerance comes from that range (tolerance.ts) unless it was set by hand.
 */
export interface BaselineCase {
  unit: string;
  /** Value and reference of the run with the median ratio (so the three figures agree). */
  value: number;
  reference: number;
  /** The median ratio over the recorded runs. */
  ratio: number;
  /** Runs recorded; absent in baselines recorded from one run. */
  runs?: number;
  /** Smallest and largest ratio over the recorded runs. */
  min?: number;
  max?: number;
  /** How the gate judges the case (absent: `baseline`). See BenchResult.gate. */
  gate?: GateKind;
  /** Why the case is `info` or `budget`. */
  gateReason?: string;
  /**
   * `baseline` cases: how much above `ratio` a run may be before the gate fails it, as a fraction
   * (0.25: a ratio up to 1.25 × the baseline's passes).
   */
  tolerance?: number;
  /**
   * How `tolerance` was chosen: `floor` (the kind's floor was larger than the spread rule's),
   * `spread` (SPREAD_FACTOR × the recorded range), or `hand` (set by editing baseline.json: kept by
   * `--update-baseline`, and then `toleranceReason` says why).
   */
  toleranceRule?: ToleranceRule;
  toleranceReason?: string;
}

/** benchmarks/baseline.json: the figures last accepted with `pnpm bench --update-baseline`. */
export interface Baseline {
  /** ISO date of the run that was accepted. */
  recordedAt: string;
  /** Commit the run was taken on (`git rev-parse --short HEAD`, `+dirty` when it had changes). */
  commit: string;
  /**
   * Where: Node version, CPU model and count, the 1-minute load average during the recording (the
   * median over the runs) and, for a recording of several runs, the load average after each run.
   */
  machine: { node: string; cpu: string; cpus: number; loadAverage: number; loadAverages?: number[] };
  cases: Record<string, BaselineCase>;
}

export function readBaseline(path: string): Baseline | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Baseline;
}

/** The recorded entry of one case from all its runs (one array of the same case's results). */
export function baselineCase(runs: readonly BenchResult[], previous: BaselineCase | undefined): BaselineCase {
  if (runs.length === 0) throw new Error('baselineCase needs at least one run');
  const first = runs[0] as BenchResult;
  const spread = spreadOf(runs.map((r) => r.ratio));
  // The run with the median ratio (the lower middle one for an even count) gives value and reference.
  const chosen = [...runs].sort((a, b) => a.ratio - b.ratio)[(runs.length - 1) >> 1] as BenchResult;
  const entry: BaselineCase = {
    unit: first.unit,
    value: round(chosen.value),
    reference: round(chosen.reference),
    ratio: round(spread.median),
    runs: spread.runs,
    min: round(spread.min),
    max: round(spread.max),
  };
  const gate = first.gate ?? 'baseline';
  if (gate !== 'baseline') {
    entry.gate = gate;
    if (first.gateReason !== undefined) entry.gateReason = first.gateReason;
    return entry;
  }
  if (previous?.toleranceRule === 'hand' && previous.tolerance !== undefined) {
    entry.tolerance = previous.tolerance;
    entry.toleranceRule = 'hand';
    if (previous.toleranceReason !== undefined) entry.toleranceReason = previous.toleranceReason;
    return entry;
  }
  const { tolerance, rule } = measuredTolerance(first, spread);
  entry.tolerance = tolerance;
  entry.toleranceRule = rule;
  return entry;
}

/**
 * The baseline after accepting `runsByCase` (each element: every run of one case): every case
 * measured now gets its new figures and a tolerance derived from its runs (a hand-set tolerance
 * is kept); cases of suites not run this time (`pnpm bench protocol --update-baseline`) keep their
 * old entry; cases of suites that ran but no longer produce them (renamed, removed) are dropped.
 */
export function acceptRuns(
  previous: Baseline | undefined,
  runsByCase: ReadonlyArray<readonly BenchResult[]>,
  meta: Omit<Baseline, 'cases'>,
): Baseline {
  const suitesRun = new Set(runsByCase.flatMap((runs) => runs.map((r) => suiteOfCase(r.name))));
  const cases: Record<string, BaselineCase> = {};
  for (const [name, entry] of Object.entries(previous?.cases ?? {})) {
    if (!suitesRun.has(suiteOfCase(name))) cases[name] = entry;
  }
  for (const runs of runsByCase) {
    const name = runs[0]?.name;
    if (name === undefined) continue;
    if (runs.some((r) => r.name !== name)) throw new Error(`runs of several cases given as one: ${name}`);
    cases[name] = baselineCase(runs, previous?.cases[name]);
  }
  const sorted: Record<string, BaselineCase> = {};
  for (const name of Object.keys(cases).sort()) sorted[name] = cases[name] as BaselineCase;
  return { ...meta, cases: sorted };
}

/** acceptRuns for one run of each case. */
export function acceptResults(
  previous: Baseline | undefined,
  results: readonly BenchResult[],
  meta: Omit<Baseline, 'cases'>,
): Baseline {
  return acceptRuns(
    previous,
    results.map((r) => [r]),
    meta,
  );
}

export function writeBaseline(path: string, baseline: Baseline): void {
  mkdirSync(dirname(path), { recursive: true });
  // Formatted as `pnpm lint` wants it (biome puts short arrays on one line).
  writeFileSync(path, biomeFormat(`${JSON.stringify(baseline, null, 2)}\n`, 'benchmarks/baseline.json'));
}

/** Four significant digits: more is noise, and it keeps the committed file's diffs readable. */
export function round(n: number): number {
  return Number(n.toPrecision(4));
}
