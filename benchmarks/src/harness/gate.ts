import type { BenchResult, GateKind } from '../bench-result.js';
import type { Baseline } from './baseline.js';
import { suiteOfCase } from './tolerance.js';

/**
 * `REGRESSED` and `OVER BUDGET` fail the gate; `faster` suggests accepting the new figure (a stale,
 * slow baseline would let a later regression through); `new` has no baseline yet; `info` is never
 * judged.
 */
export type Verdict = 'ok' | 'REGRESSED' | 'OVER BUDGET' | 'faster' | 'new' | 'info';

export function isFailing(verdict: Verdict): boolean {
  return verdict === 'REGRESSED' || verdict === 'OVER BUDGET';
}

/** One row of the gate: a run's figure against its baseline. */
export interface GateRow extends BenchResult {
  gate: GateKind;
  baseline?: number;
  tolerance?: number;
  verdict: Verdict;
  /** The ratios of every run of this case (more than one when it was re-run or recorded). */
  runs: number[];
}

/**
 * Judges one ratio against its baseline: REGRESSED past `baseline × (1 + tolerance)`; `faster`
 * below `baseline × (1 − tolerance)`; `new` without a baseline.
 */
export function judge(ratio: number, baseline: number | undefined, tolerance: number | undefined): Verdict {
  if (baseline === undefined || tolerance === undefined) return 'new';
  if (ratio > baseline * (1 + tolerance)) return 'REGRESSED';
  if (ratio < baseline * (1 - tolerance)) return 'faster';
  return 'ok';
}

/** A budget case: its reference is the budget, so the ratio may not exceed 1. */
export function judgeBudget(ratio: number): Verdict {
  return ratio > 1 ? 'OVER BUDGET' : 'ok';
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The gate over every run of a case. A case judged on one run that fails is re-run by the caller;
 * its figure is then the run with the median ratio among all runs (an odd count), so one run
 * disturbed by a busy machine neither fails a build nor lets a real regression pass: a
 * regression shows in every run, noise in few. How it is judged is the case's own `gate`
 * (BenchResult.gate): against the baseline, against its budget, or not at all.
 */
export function gateRow(runs: readonly BenchResult[], baseline: Baseline | undefined): GateRow {
  if (runs.length === 0) throw new Error('gateRow needs at least one run');
  const sorted = [...runs].sort((a, b) => a.ratio - b.ratio);
  const chosen = sorted[(sorted.length - 1) >> 1] as BenchResult;
  const entry = baseline?.cases[chosen.name];
  const gate = chosen.gate ?? 'baseline';
  const verdict =
    gate === 'info'
      ? 'info'
      : gate === 'budget'
        ? judgeBudget(chosen.ratio)
        : judge(chosen.ratio, entry?.ratio, entry?.tolerance);
  const row: GateRow = { ...chosen, gate, verdict, runs: runs.map((r) => r.ratio) };
  if (entry !== undefined) {
    row.baseline = entry.ratio;
    if (gate === 'baseline' && entry.tolerance !== undefined) row.tolerance = entry.tolerance;
  }
  return row;
}

/** Names of baseline cases that the run did not produce although their suite ran. */
export function missingCases(
  baseline: Baseline | undefined,
  results: readonly BenchResult[],
  suitesRun: readonly string[],
): string[] {
  if (baseline === undefined) return [];
  const seen = new Set(results.map((r) => r.name));
  return Object.keys(baseline.cases).filter(
    (name) => !seen.has(name) && suitesRun.includes(suiteOfCase(name)),
  );
}
