import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import type { BenchResult } from '../bench-result.js';
import type { GateRow } from './gate.js';

const fmt = (n: number) =>
  n >= 1e6
    ? `${(n / 1e6).toFixed(2)}M`
    : n >= 100
      ? n.toFixed(0)
      : n >= 10
        ? n.toFixed(1)
        : n >= 0.01 || n === 0
          ? n.toFixed(2)
          : n.toPrecision(2);

/**
 * The run as a text table: value and reference (measured in the same run), their ratio, the
 * range of the ratios when the case ran several times, the baseline's ratio and tolerance (or
 * `budget` / `info` for cases not judged against the baseline), and the verdict. Without a
 * baseline (a plain result list), the gate columns stay empty.
 */
export function formatTable(rows: readonly (BenchResult | GateRow)[]): string {
  const cells = rows.map((r) => {
    const g = r as Partial<GateRow>;
    const range =
      g.runs !== undefined && g.runs.length > 1
        ? `${g.runs.length}: ${Math.min(...g.runs).toFixed(2)}–${Math.max(...g.runs).toFixed(2)}`
        : '';
    const kind = g.gate ?? r.gate;
    return [
      r.name,
      `${fmt(r.value)} ${r.unit}`,
      `${fmt(r.reference)} ${r.unit}`,
      `${r.ratio.toFixed(2)}x`,
      range,
      g.baseline === undefined ? '' : `${g.baseline.toFixed(2)}x`,
      kind === 'info'
        ? 'info'
        : kind === 'budget'
          ? 'budget'
          : g.tolerance === undefined
            ? ''
            : `+${Math.round(g.tolerance * 100)}%`,
      g.verdict ?? '',
      r.aim === undefined ? '' : `≤${r.aim}x${r.ratio <= r.aim ? '' : ' MISSED'}`,
    ];
  });
  const header = [
    'benchmark',
    'value',
    'reference',
    'ratio',
    'runs',
    'baseline',
    'tolerance',
    'verdict',
    'aim',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (row: string[]) =>
    row
      .map((c, i) => (i === 0 || i >= 7 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** The machine-readable record of a run (benchmarks/results/latest.json). */
export interface BenchReport {
  date: string;
  node: string;
  platform: string;
  cpu: string;
  cpus: number;
  /** 1-minute load average at the end of the run: how busy the machine was. */
  loadAverage: number;
  results: Array<BenchResult | GateRow>;
}

export function writeReport(path: string, results: Array<BenchResult | GateRow>): BenchReport {
  const report: BenchReport = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    loadAverage: Number((loadavg()[0] ?? 0).toFixed(2)),
    results,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
