import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type BenchResult, isRate, ratioOf } from '../bench-result.js';
import { acceptResults, acceptRuns, type Baseline, DEFAULT_TOLERANCE, defaultTolerance } from './baseline.js';
import { gateRow, isFailing, judge, median, missingCases } from './gate.js';
import { appendHistory, readHistory, trendOf } from './history.js';
import { alternate, interleaved, medianPair } from './interleave.js';
import { normalize } from './normalize.js';
import { formatTable, writeReport } from './report.js';
import { discoverSuites, suiteEntry } from './suites.js';
import { measuredTolerance, SPREAD_FACTOR, spreadOf, suiteOfCase, TOLERANCE_FLOOR } from './tolerance.js';

const result = (name: string, ratio: number, unit = 'ns/op'): BenchResult => ({
  name,
  unit,
  value: ratio * 100,
  reference: 100,
  ratio,
});

const META = {
  recordedAt: '2026-11-26T12:00:00.000Z',
  commit: 'abc1234',
  machine: { node: 'v20.20.2', cpu: 'cpu', cpus: 2, loadAverage: 1.5 },
};

describe('bench results', () => {
  it('makes a ratio above 1 mean worse, for times, rates and memory', () => {
    expect(isRate('MB/s')).toBe(true);
    expect(isRate('rt/s')).toBe(true);
    expect(isRate('msg/s/core')).toBe(true);
    expect(isRate('ns/op')).toBe(false);
    expect(isRate('bytes')).toBe(false);
    expect(ratioOf('ns/op', 150, 100)).toBe(1.5);
    expect(ratioOf('MB/s', 50, 100)).toBe(2);
  });

  it('normalizes a ratio reported the other way round, and says so', () => {
    const notes: string[] = [];
    const fixed = normalize({ name: 'x: rate', unit: 'rt/s', value: 50, reference: 100, ratio: 0.5 }, (m) =>
      notes.push(m),
    );
    expect(fixed.ratio).toBe(2);
    expect(notes).toHaveLength(1);
    expect(normalize(result('x: fine', 1.5), (m) => notes.push(m)).ratio).toBe(1.5);
    expect(notes).toHaveLength(1);
    expect(() => normalize({ ...result('x: nan', 1), reference: 0 }, () => {})).toThrow(/not a measurement/);
  });
});

describe('the gate', () => {
  const baseline = acceptResults(
    undefined,
    [result('protocol: a', 1.2), result('macro: b', 2, 'rt/s')],
    META,
  );

  it('fails a ratio past baseline × (1 + tolerance) only', () => {
    expect(judge(1.2 * 1.25, 1.2, 0.25)).toBe('ok');
    expect(judge(1.2 * 1.26, 1.2, 0.25)).toBe('REGRESSED');
    expect(judge(0.8, 1.2, 0.25)).toBe('faster');
    expect(judge(5, undefined, undefined)).toBe('new');
  });

  it('uses the default tolerance per kind of figure', () => {
    expect(defaultTolerance(result('protocol: a', 1))).toBe(DEFAULT_TOLERANCE.micro);
    expect(defaultTolerance(result('macro: b', 1, 'rt/s'))).toBe(DEFAULT_TOLERANCE.macro);
    expect(defaultTolerance(result('macro: c', 1, 'bytes'))).toBe(DEFAULT_TOLERANCE.memory);
    expect(defaultTolerance(result('macro: tick duration p99 under load', 1, 'ms'))).toBe(
      DEFAULT_TOLERANCE.tail,
    );
    // Regression: MB/s (a rate) was taken for MB (memory).
    expect(defaultTolerance(result('protocol: split', 1, 'MB/s'))).toBe(DEFAULT_TOLERANCE.micro);
    expect(baseline.cases['protocol: a']?.tolerance).toBe(DEFAULT_TOLERANCE.micro);
  });

  it('judges a re-run case on its median run, so one disturbed run neither fails nor passes it', () => {
    const noisy = gateRow(
      [result('protocol: a', 2.0), result('protocol: a', 1.25), result('protocol: a', 1.3)],
      baseline,
    );
    expect(noisy.ratio).toBe(1.3);
    expect(noisy.verdict).toBe('ok');
    expect(noisy.runs).toEqual([2.0, 1.25, 1.3]);
    const real = gateRow(
      [result('protocol: a', 2.0), result('protocol: a', 1.9), result('protocol: a', 1.25)],
      baseline,
    );
    expect(real.verdict).toBe('REGRESSED');
    expect(real.baseline).toBe(1.2);
    expect(gateRow([result('shard: new', 3)], baseline).verdict).toBe('new');
  });

  it('keeps a hand-set tolerance, with its reason, and cases of suites not run when a baseline is accepted again', () => {
    const edited: Baseline = structuredClone(baseline);
    Object.assign(edited.cases['protocol: a'] as object, {
      tolerance: 0.5,
      toleranceRule: 'hand',
      toleranceReason: 'the reference is a 300-byte RSS difference',
    });
    const next = acceptResults(edited, [result('protocol: a', 1.1)], { ...META, commit: 'def5678' });
    expect(next.cases['protocol: a']).toMatchObject({
      ratio: 1.1,
      tolerance: 0.5,
      toleranceRule: 'hand',
      toleranceReason: 'the reference is a 300-byte RSS difference',
    });
    expect(next.cases['macro: b']?.ratio).toBe(2);
    expect(next.commit).toBe('def5678');
    // A tolerance without the hand mark (a baseline recorded before the spread rule) is derived anew.
    const old: Baseline = structuredClone(baseline);
    (old.cases['protocol: a'] as { tolerance: number }).tolerance = 0.9;
    delete old.cases['protocol: a']?.toleranceRule;
    expect(acceptResults(old, [result('protocol: a', 1.1)], META).cases['protocol: a']?.tolerance).toBe(
      DEFAULT_TOLERANCE.micro,
    );
    // A case its suite no longer produces (renamed) leaves the baseline.
    const renamed = acceptResults(next, [result('macro: b2', 2, 'rt/s')], META);
    expect(Object.keys(renamed.cases).sort()).toEqual(['macro: b2', 'protocol: a']);
  });

  it('lists baseline cases a run of their suite did not produce', () => {
    expect(missingCases(baseline, [result('protocol: z', 1)], ['protocol'])).toEqual(['protocol: a']);
    expect(missingCases(baseline, [], ['shard'])).toEqual([]);
  });

  it('takes a true median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('the baseline rule: tolerance from the spread of recorded runs', () => {
  const runsOf = (name: string, ratios: number[], unit = 'ns/op') => ratios.map((r) => result(name, r, unit));

  it('summarises runs by their median and relative range', () => {
    expect(spreadOf([1.1, 1.0, 1.3, 1.2, 0.9])).toEqual({
      runs: 5,
      median: 1.1,
      min: 0.9,
      max: 1.3,
      spread: 0.4 / 1.1,
    });
    expect(spreadOf([2])).toMatchObject({ runs: 1, median: 2, spread: 0 });
    expect(() => spreadOf([])).toThrow();
  });

  it('takes the floor of the kind when the runs agree, SPREAD_FACTOR × their range when they do not', () => {
    // 5 % range: 1.5 × 5 % = 7.5 %, under the micro floor.
    expect(measuredTolerance(result('protocol: a', 1), { spread: 0.05 })).toEqual({
      tolerance: TOLERANCE_FLOOR.micro,
      rule: 'floor',
    });
    // 30 % range: 45 %, over the micro floor, rounded up to a whole percent.
    expect(measuredTolerance(result('protocol: a', 1), { spread: 0.3 })).toEqual({
      tolerance: 0.45,
      rule: 'spread',
    });
    expect(measuredTolerance(result('protocol: a', 1), { spread: 0.2001 })).toEqual({
      tolerance: 0.31,
      rule: 'spread',
    });
    // The same range is under the end-to-end floor.
    expect(measuredTolerance(result('store: a', 1, 'saves/s'), { spread: 0.2 })).toEqual({
      tolerance: TOLERANCE_FLOOR.macro,
      rule: 'floor',
    });
    expect(SPREAD_FACTOR).toBe(1.5);
  });

  it('records per case the median ratio, the value and reference of the median run, the range and the derived tolerance', () => {
    const recorded = acceptRuns(
      undefined,
      [
        runsOf('protocol: steady', [1.2, 1.22, 1.19, 1.21, 1.2]),
        runsOf('shard: noisy', [1.0, 1.4, 1.1, 1.2, 1.3]),
      ],
      META,
    );
    expect(recorded.cases['protocol: steady']).toEqual({
      unit: 'ns/op',
      value: 120,
      reference: 100,
      ratio: 1.2,
      runs: 5,
      min: 1.19,
      max: 1.22,
      tolerance: TOLERANCE_FLOOR.micro,
      toleranceRule: 'floor',
    });
    // Range 0.4 around a median of 1.2: 1.5 × 33.3 % = 50 %.
    expect(recorded.cases['shard: noisy']).toMatchObject({
      ratio: 1.2,
      value: 120,
      min: 1,
      max: 1.4,
      tolerance: 0.5,
      toleranceRule: 'spread',
    });
    // A run judged against it: within 1.2 × 1.5 passes, past it fails.
    expect(gateRow([result('shard: noisy', 1.79)], recorded).verdict).toBe('ok');
    expect(gateRow([result('shard: noisy', 1.81)], recorded).verdict).toBe('REGRESSED');
  });

  it('records informational and budget cases without a tolerance, with their reason', () => {
    const info = (r: number) => ({
      ...result('macro: rate', r, 'rt/s'),
      gate: 'info' as const,
      gateReason: 'tick-capped',
    });
    const budget = (r: number) => ({
      ...result('macro: p99', r, 'ms'),
      gate: 'budget' as const,
      gateReason: '10 %',
    });
    const recorded = acceptRuns(
      undefined,
      [
        [info(3), info(9), info(5)],
        [budget(0.2), budget(0.3), budget(0.25)],
      ],
      META,
    );
    expect(recorded.cases['macro: rate']).toEqual({
      unit: 'rt/s',
      value: 500,
      reference: 100,
      ratio: 5,
      runs: 3,
      min: 3,
      max: 9,
      gate: 'info',
      gateReason: 'tick-capped',
    });
    expect(recorded.cases['macro: p99']).toMatchObject({ ratio: 0.25, gate: 'budget', gateReason: '10 %' });
    expect(recorded.cases['macro: p99']?.tolerance).toBeUndefined();
  });

  it('never fails an informational case; fails a budget case past its budget, with or without a baseline', () => {
    const recorded = acceptResults(undefined, [result('macro: rate', 1, 'rt/s')], META);
    const info = gateRow([{ ...result('macro: rate', 50, 'rt/s'), gate: 'info' }], recorded);
    expect(info).toMatchObject({ verdict: 'info', gate: 'info', baseline: 1 });
    expect(info.tolerance).toBeUndefined();
    expect(isFailing(info.verdict)).toBe(false);
    const budget = (r: number) => ({ ...result('macro: p99', r, 'ms'), gate: 'budget' as const });
    expect(gateRow([budget(0.99)], undefined).verdict).toBe('ok');
    expect(gateRow([budget(1.01)], undefined).verdict).toBe('OVER BUDGET');
    expect(isFailing('OVER BUDGET')).toBe(true);
    // Judged on the median run, like a baseline case.
    expect(gateRow([budget(3), budget(0.5), budget(0.6)], undefined).verdict).toBe('ok');
  });

  it('takes the suite from the first word of a case name', () => {
    expect(suiteOfCase('protocol: decode cmd')).toBe('protocol');
    expect(suiteOfCase('loadgen without the runner (one thread): round trips')).toBe('loadgen');
  });
});

describe('interleaved measurements', () => {
  it('warms both sides up, then alternates which side goes first', async () => {
    const order: string[] = [];
    let n = 0;
    const pairs = await alternate({
      pairs: 3,
      reference: async () => {
        order.push('r');
        return ++n;
      },
      subject: async () => {
        order.push('s');
        return ++n;
      },
    });
    expect(order.join('')).toBe('rs' + 'rs' + 'sr' + 'rs');
    expect(pairs).toEqual([
      { reference: 3, subject: 4 },
      { reference: 6, subject: 5 },
      { reference: 7, subject: 8 },
    ]);
    await expect(alternate({ pairs: 2, reference: async () => 1, subject: async () => 1 })).rejects.toThrow(
      /odd/,
    );
  });

  it('keeps the pair with the median ratio, so value, reference and ratio agree', async () => {
    const figure = medianPair(
      [
        { reference: 100, subject: 300 },
        { reference: 100, subject: 120 },
        { reference: 50, subject: 75 },
      ],
      'ns/op',
    );
    expect(figure).toEqual({ value: 75, reference: 50, ratio: 1.5, ratios: [3, 1.2, 1.5] });
    // A rate: the ratio is reference / value.
    expect(medianPair([{ reference: 200, subject: 100 }], 'saves/s').ratio).toBe(2);
    let calls = 0;
    const steady = await interleaved({
      unit: 'ns/op',
      pairs: 1,
      warmUp: false,
      reference: async () => 10,
      subject: async () => {
        calls++;
        return 20;
      },
    });
    expect(steady.ratio).toBe(2);
    expect(calls).toBe(1);
  });
});

describe('history and report', () => {
  it('appends one line per accepted run and reads the trend back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lev-bench-'));
    try {
      const path = join(dir, 'history.ndjson');
      const first = acceptResults(undefined, [result('protocol: a', 1.2)], META);
      appendHistory(path, first, ['protocol: a']);
      appendHistory(path, acceptResults(first, [result('protocol: a', 1.1)], META), ['protocol: a']);
      expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
      const history = readHistory(path);
      expect(history[0]).toMatchObject({ commit: 'abc1234', loadAverage: 1.5 });
      expect(trendOf(history, 'protocol: a')).toEqual([1.2, 1.1]);
      // A recording of several runs keeps each case's range and the load after each run.
      const recorded = acceptRuns(
        first,
        [[result('protocol: a', 1.3), result('protocol: a', 1.0), result('protocol: a', 1.1)]],
        {
          ...META,
          machine: { ...META.machine, loadAverages: [0.5, 0.7, 0.6] },
        },
      );
      appendHistory(path, recorded, ['protocol: a']);
      const third = readHistory(path)[2];
      expect(third).toMatchObject({
        loadAverages: [0.5, 0.7, 0.6],
        spreads: { 'protocol: a': { runs: 3, min: 1, max: 1.3 } },
      });
      expect(trendOf(readHistory(path), 'protocol: a')).toEqual([1.2, 1.1, 1.1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads history lines written before recordings had several runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lev-bench-'));
    try {
      const path = join(dir, 'history.ndjson');
      writeFileSync(
        path,
        '{"date":"2026-11-26T11:04:37.172Z","commit":"e2448e6","loadAverage":7.75,"ratios":{"protocol: a":1.3}}\n',
      );
      expect(readHistory(path)[0]?.spreads).toBeUndefined();
      expect(trendOf(readHistory(path), 'protocol: a')).toEqual([1.3]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints value, reference, ratio, runs, baseline, tolerance and verdict per case', () => {
    const baseline = acceptResults(undefined, [result('protocol: a', 1.2)], META);
    const rows = [
      gateRow([result('protocol: a', 1.25)], baseline),
      gateRow(
        [result('protocol: a2', 2), result('protocol: a2', 2.1), result('protocol: a2', 1.9)],
        baseline,
      ),
    ];
    const lines = formatTable(rows).split('\n');
    expect(lines[0]).toMatch(/^benchmark +value +reference +ratio +runs +baseline +tolerance +verdict +aim$/);
    expect(lines[2]).toMatch(/protocol: a +125 ns\/op +100 ns\/op +1\.25x +1\.20x +\+25% +ok$/);
    expect(lines[3]).toMatch(/2\.00x +3: 1\.90–2\.10 +new$/);
    const info = formatTable([gateRow([{ ...result('macro: r', 3, 'rt/s'), gate: 'info' }], baseline)]);
    expect(info.split('\n')[2]).toMatch(/3\.00x +info +info$/);
  });

  it('writes the run as JSON with the machine and its load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lev-bench-'));
    try {
      const path = join(dir, 'results/latest.json');
      writeReport(path, [result('protocol: a', 1)]);
      const report = JSON.parse(readFileSync(path, 'utf8'));
      expect(report.results).toEqual([result('protocol: a', 1)]);
      expect(report.node).toBe(process.version);
      expect(report.cpus).toBeGreaterThan(0);
      expect(typeof report.loadAverage).toBe('number');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('suite discovery', () => {
  it('discovers the suites of benchmarks/src, the engine one without an index.ts among them', async () => {
    const suites = await discoverSuites(fileURLToPath(new URL('..', import.meta.url)));
    const names = suites.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['protocol', 'shard', 'ipc', 'macro', 'crowd', 'adversarial']),
    );
    expect(names).not.toContain('counted');
    expect(suites.every((s) => typeof s.run === 'function')).toBe(true);
  });

  it('takes index.ts, else the one file declaring a run...Benchmarks export, else nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lev-suite-'));
    try {
      mkdirSync(join(dir, 'a'));
      writeFileSync(join(dir, 'a/server.ts'), 'process.exit(1);\n');
      writeFileSync(join(dir, 'a/bench.ts'), 'export async function runABenchmarks() { return []; }\n');
      expect(suiteEntry(join(dir, 'a'))).toBe(join(dir, 'a/bench.ts'));
      writeFileSync(join(dir, 'a/index.ts'), 'export {};\n');
      expect(suiteEntry(join(dir, 'a'))).toBe(join(dir, 'a/index.ts'));
      mkdirSync(join(dir, 'b'));
      writeFileSync(join(dir, 'b/x.ts'), 'export const x = 1;\n');
      expect(suiteEntry(join(dir, 'b'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
