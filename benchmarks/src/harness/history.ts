import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { Baseline } from './baseline.js';

/** One line of benchmarks/history.ndjson: an accepted run, its commit, and every ratio. */
export interface HistoryEntry {
  date: string;
  commit: string;
  loadAverage: number;
  ratios: Record<string, number>;
}

/** Appends the accepted baseline's ratios as one line (NDJSON: one run per line, diffs stay small). */
export function appendHistory(path: string, baseline: Baseline, names: readonly string[]): HistoryEntry {
  const ratios: Record<string, number> = {};
  for (const name of names) {
    const entry = baseline.cases[name];
    if (entry !== undefined) ratios[name] = entry.ratio;
  }
  const line: HistoryEntry = {
    date: baseline.recordedAt,
    commit: baseline.commit,
    loadAverage: baseline.machine.loadAverage,
    ratios,
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
