import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Aggregate } from '../metrics/aggregate.js';
import { Registry } from '../metrics/registry.js';
import { buildSummary } from '../summary/summary.js';
import { renderJunit } from './junit.js';
import { NdjsonWriter } from './ndjson.js';
import { Progress } from './progress.js';
import { renderSummaryTable } from './summary-table.js';

function sink(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => out };
}

function sample(): Aggregate {
  const r = new Registry();
  r.gauge('vus').set(3);
  r.gauge('vus_max').set(5);
  r.counter('iterations').add(40);
  for (let i = 1; i <= 40; i++) r.trend('ws_cmd_duration').add(i / 10);
  r.rate('checks').addCheck('checks{check:a "quoted" <check>}', true);
  const agg = new Aggregate();
  agg.add(r.snapshot());
  return agg;
}

describe('Progress', () => {
  it('rewrites one line in a terminal', () => {
    const s = sink();
    const p = new Progress('tty', s.stream);
    const agg = sample();
    p.update(1000, 10_000, agg, 1000, agg);
    p.update(2000, 10_000, agg, 1000, agg);
    p.end();
    expect(s.text().split('\r\x1b[2K').length).toBe(3);
    expect(s.text()).toMatch(
      /running 2s\/10s 20% {2}vus 3\/5 {2}iterations 40 \(40\.0\/s\) {2}ws_cmd_duration p95 3\.80ms {2}errors 0 {2}dropped 0\n$/,
    );
  });

  it('prints plain lines at most every plainEveryMs when not a terminal', () => {
    const s = sink();
    const p = new Progress('plain', s.stream, 5000);
    const agg = sample();
    for (let t = 1000; t <= 12_000; t += 1000) p.update(t, 12_000, agg, 1000, agg);
    expect(s.text().trim().split('\n')).toHaveLength(3); // at 1 s, 6 s, 11 s
    expect(s.text()).not.toContain('\r');
  });
});

describe('summary outputs', () => {
  const agg = sample();
  const summary = buildSummary(agg, {
    scenarioFile: 's.ts',
    startedAt: '2026-11-26T10:00:00.000Z',
    durationMs: 1000,
    segments: [{ index: 0, count: 1 }],
    workers: 1,
    thresholdPlans: [
      { metric: 'ws_cmd_duration', expression: 'p(95)<1', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'checks', expression: 'rate==1', abortOnFail: false, delayAbortEvalMs: 0 },
    ],
    errors: { 'TimeoutError: cmd 3: no answer within 10000 ms': 2 },
    warnings: ['generator busy'],
    generatorLagP99Ms: 1.5,
    generatorCpuShare: 0.25,
  });

  it('renders the table with checks, thresholds, errors and warnings', () => {
    const t = renderSummaryTable(summary);
    expect(t).toMatch(/✗ ws_cmd_duration\.+: avg=2\.05ms/);
    expect(t).toMatch(/✓ checks\.+: 100\.00% ✓ 1 ✗ 0/);
    expect(t).toContain('✓ a "quoted" <check>: 1 passed, 0 failed');
    expect(t).toMatch(/✗ ws_cmd_duration p\(95\)<1 {2}\(actual 3\.8/);
    expect(t).toContain('2 × TimeoutError: cmd 3');
    expect(t).toContain('! generator busy');
  });

  it('renders JUnit XML with escaped names and one failure', () => {
    const xml = renderJunit(summary);
    expect(xml).toContain('<testsuites name="leviathan-load" tests="2" failures="1" time="1.000">');
    expect(xml).toContain('name="ws_cmd_duration p(95)&lt;1"');
    expect(xml).toMatch(
      /<failure message="ws_cmd_duration p\(95\)&lt;1 failed: actual 3\.8\d*" type="threshold"\/>/,
    );
    expect(xml).not.toMatch(/<[^>]*<[^/?]/); // no raw < inside a tag
  });

  it('writes one NDJSON line per series per interval', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndjson-'));
    try {
      const file = join(dir, 'out.ndjson');
      const w = new NdjsonWriter(file);
      w.interval({ seq: 0, endEpochMs: Date.UTC(2026, 10, 26), elapsedMs: 1000, intervalMs: 1000, agg });
      w.interval({
        seq: 1,
        endEpochMs: Date.UTC(2026, 10, 26) + 1000,
        elapsedMs: 2000,
        intervalMs: 1000,
        agg,
      });
      await w.close();
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(2 * agg.keys().length);
      expect(lines[0]).toMatchObject({
        type: 'Point',
        interval: 0,
        time: '2026-11-26T00:00:00.000Z',
        intervalMs: 1000,
      });
      const cmd = lines.find((l) => l.metric === 'ws_cmd_duration' && l.interval === 1);
      expect(cmd?.values).toMatchObject({ count: 40 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
