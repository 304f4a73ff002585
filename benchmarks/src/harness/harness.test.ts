import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type BenchResult, isRate, ratioOf } from '../bench-result.js';
import { formatTable, writeReport } from './report.js';
import { discoverSuites } from './suites.js';

const RESULTS: BenchResult[] = [
  {
    name: 'protocol: decode cmd (vs JSON.parse)',
    unit: 'ns/op',
    value: 600,
    reference: 400,
    ratio: 1.5,
    aim: 1.5,
  },
  { name: 'protocol: split (vs indexOf)', unit: 'MB/s', value: 100, reference: 200, ratio: 2 },
  { name: 'x: missed', unit: 'ns/op', value: 3, reference: 1, ratio: 3, aim: 1.2 },
];

describe('bench results', () => {
  it('makes a ratio above 1 mean slower, for times and for rates', () => {
    expect(isRate('MB/s')).toBe(true);
    expect(isRate('ns/op')).toBe(false);
    expect(ratioOf('ns/op', 150, 100)).toBe(1.5);
    expect(ratioOf('MB/s', 50, 100)).toBe(2);
  });

  it('prints one row per result with its ratio, aim and verdict', () => {
    const lines = formatTable(RESULTS).split('\n');
    expect(lines).toHaveLength(2 + RESULTS.length);
    expect(lines[2]).toMatch(/decode cmd .* 1\.50x +≤1\.5x +ok +600 ns\/op +400 ns\/op$/);
    expect(lines[3]).toMatch(/split .* 2\.00x .* 100 MB\/s +200 MB\/s$/);
    expect(lines[4]).toMatch(/MISSED/);
  });

  it('writes the run as JSON with the machine it ran on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lev-bench-'));
    try {
      const path = join(dir, 'results/latest.json');
      writeReport(path, RESULTS);
      const report = JSON.parse(readFileSync(path, 'utf8'));
      expect(report.results).toEqual(RESULTS);
      expect(report.node).toBe(process.version);
      expect(report.cpus).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('discovers the suites of benchmarks/src, the protocol suite among them', async () => {
    const suites = await discoverSuites(fileURLToPath(new URL('..', import.meta.url)));
    expect(suites.map((s) => s.name)).toContain('protocol');
    expect(suites.every((s) => typeof s.run === 'function')).toBe(true);
  });
});
