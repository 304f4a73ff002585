import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import type { BenchResult } from '../bench-result.js';

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

/** The results as a text table: the ratio first, since it is the figure that compares. */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${r.ratio.toFixed(2)}x`,
    r.aim === undefined ? '' : `≤${r.aim}x`,
    r.aim === undefined ? '' : r.ratio <= r.aim ? 'ok' : 'MISSED',
    `${fmt(r.value)} ${r.unit}`,
    `${fmt(r.reference)} ${r.unit}`,
  ]);
  const header = ['benchmark', 'ratio', 'aim', '', 'value', 'reference'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The machine-readable record of a run; issue 8's gates compare these ratios to a baseline. */
export interface BenchReport {
  date: string;
  node: string;
  platform: string;
  cpu: string;
  cpus: number;
  results: BenchResult[];
}

export function writeReport(path: string, results: BenchResult[]): BenchReport {
  const report: BenchReport = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    results,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
