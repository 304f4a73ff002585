import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { Baseline } from './baseline.js';

/** The ratios of one case over the runs of an accepted recording. */
export interface HistorySpread {
  runs: number;
  min: number;
  max: number;
}

/**
 * One line of benchmarks/history.ndjson: an accepted recording, its commit, and every case's
 * (median) ratio. Lines written before recordings had several runs carry neither `spreads` nor
 * `loadAverages`.
 */
export interface HistoryEntry {
  date: string;
  commit: string;
  loadAverage: number;
  /** The 1-minute load average after each run of the recording. */
  loadAverages?: number[];
  ratios: Record<string, number>;
  /** Per case, when it was recorded from several runs: their count and range. */
  spreads?: Record<string, HistorySpread>;
}

/** Appends the accepted baseline's ratios as one line (NDJSON: one run per line, diffs stay small). */
export function appendHistory(path: string, baseline: Baseline, names: readonly string[]): HistoryEntry {
  const ratios: Record<string, number> = {};
  const spreads: Record<string, HistorySpread> = {};
  for (const name of names) {
    const entry = baseline.cases[name];
    if (entry === undefined) continue;
    ratios[name] = entry.ratio;
    if (entry.runs !== undefined && entry.min !== undefined && entry.max !== undefined)
      spreads[name] = { runs: entry.runs, min: entry.min, max: entry.max };
  }
  const line: HistoryEntry = {
    date: baseline.recordedAt,
    commit: baseline.commit,
    loadAverage: baseline.machine.loadAverage,
    ...(baseline.machine.loadAverages === undefined ? {} : { loadAverages: baseline.machine.loadAverages }),
    ratios,
    ...(Object.keys(spreads).length === 0 ? {} : { spreads }),
  };
  appendFileSync(path, `${JSON.stringify(line)}\n`);
  return line;
}

export function readHistory(path: string): HistoryEntry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as HistoryEntry);
}

/** The trend of one case: its ratios over the accepted runs, oldest first. */
export function trendOf(history: readonly HistoryEntry[], name: string): number[] {
  return history.flatMap((h) => (h.ratios[name] === undefined ? [] : [h.ratios[name] as number]));
}
