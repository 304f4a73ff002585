import { isRate } from '../bench-result.js';

/** What a case's ratio varies with, which decides its tolerance floor. */
export type FigureKind = 'micro' | 'macro' | 'memory' | 'tail';

/**
 * The least tolerance of each kind of figure, whatever the recorded runs showed: runs recorded
 * together share the machine's state of the moment (its load, its CPU frequency), so their spread
 * understates how far a run on another day moves. Micro ratios (tinybench loops in one process)
 * moved about ±10 % between sessions on the shared 2-core machine: +25 % is 2.5 × that. End-to-end
 * ratios (processes, sockets, the kernel scheduler in between) move more: +40 %. Memory per
 * connection: +30 %. Tail latencies (p99) move most: +100 %.
 */
export const TOLERANCE_FLOOR: Readonly<Record<FigureKind, number>> = Object.freeze({
  micro: 0.25,
  macro: 0.4,
  memory: 0.3,
  tail: 1,
});

/**
 * The tolerance derived from the recorded runs is this many times their relative range
 * ((max − min) / median). Why 1.5: for roughly normal noise of one run σ, the range of 5 runs is
 * about 2.3σ, so the tolerance is about 3.5σ. The gate compares the median of at most 3 runs
 * (sd ≈ 0.67σ) with the median of the recorded runs (sd ≈ 0.54σ for 5): their difference has an
 * sd of about 0.86σ, and 3.5σ is 4 of those — a false failure about once in 30,000 cases when
 * the noise is normal, with room for the heavier tails of a shared machine.
 */
export const SPREAD_FACTOR = 1.5;

/** Past this tolerance a case cannot catch a regression that doubles its cost: warn. */
export const TOO_NOISY = 1;

/** Suites whose figures are end to end (processes and sockets), not tinybench loops. */
const MACRO_SUITES = new Set([
  'adversarial',
  'cluster',
  'crowd',
  'loadgen',
  'macro',
  'mud',
  'store',
  'transport',
]);

/** The suite of a case: the part of its name before the first `:` or space. */
export function suiteOfCase(name: string): string {
  return /^[\w-]+/.exec(name)?.[0] ?? name;
}

export function figureKind(result: { name: string; unit: string }): FigureKind {
  if (/\bp99\b/.test(result.name)) return 'tail';
  if (!isRate(result.unit) && /^(bytes|B|KB|KiB|MB|MiB)(\/\w+)?$/.test(result.unit)) return 'memory';
  return MACRO_SUITES.has(suiteOfCase(result.name)) ? 'macro' : 'micro';
}

/** The floor of a case's kind: the tolerance of a case recorded from one run. */
export function defaultTolerance(result: { name: string; unit: string }): number {
  return TOLERANCE_FLOOR[figureKind(result)];
}

/** The ratios of a case over several runs. */
export interface RunSpread {
  runs: number;
  median: number;
  min: number;
  max: number;
  /** (max − min) / median: the relative range of the runs, 0 for one run. */
  spread: number;
}

export function spreadOf(ratios: readonly number[]): RunSpread {
  if (ratios.length === 0) throw new Error('spreadOf needs at least one ratio');
  const sorted = [...ratios].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const min = sorted[0] as number;
  const max = sorted[sorted.length - 1] as number;
  return { runs: sorted.length, median, min, max, spread: median > 0 ? (max - min) / median : 0 };
}

export type ToleranceRule = 'floor' | 'spread' | 'hand';

/**
 * The stated rule: tolerance = max(floor of the case's kind, SPREAD_FACTOR × relative range of the
 * recorded runs), rounded up to a whole percent. `rule` says which of the two decided.
 */
export function measuredTolerance(
  result: { name: string; unit: string },
  spread: Pick<RunSpread, 'spread'>,
): { tolerance: number; rule: 'floor' | 'spread' } {
  const floor = defaultTolerance(result);
  const fromSpread = Math.ceil(SPREAD_FACTOR * spread.spread * 100 - 1e-9) / 100;
  return fromSpread > floor ? { tolerance: fromSpread, rule: 'spread' } : { tolerance: floor, rule: 'floor' };
}
