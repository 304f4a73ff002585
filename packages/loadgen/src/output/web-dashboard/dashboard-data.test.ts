import { describe, expect, it } from 'vitest';
import { Aggregate } from '../../metrics/aggregate.js';
import { Registry } from '../../metrics/registry.js';
import { buildSummary } from '../../summary/summary.js';
import { toDashboardEnd, toDashboardPoint } from './dashboard-data.js';

/** One interval of two workers' samples, merged as runTest merges them. */
function interval(fill: (worker: Registry, w: number) => void, tracked: string[] = []): Aggregate {
  const agg = new Aggregate();
  for (let w = 0; w < 2; w++) {
    const reg = new Registry(tracked);
    fill(reg, w);
    agg.add(reg.snapshot(), 'sum');
  }
  return agg;
}

describe('toDashboardPoint', () => {
  it('keeps each untagged series as its type, with the merged percentiles and per-interval counts', () => {
    const agg = interval((reg, w) => {
      const cmd = reg.trend('ws_cmd_duration');
      for (let i = 1; i <= 100; i++) cmd.add(i * (w + 1)); // ms: 1..100 and 2..200
      reg.counter('iterations').add(50);
      reg.counter('ws_errors').add(w);
      reg.rate('checks').add(true);
      reg.rate('checks').add(w === 0);
      reg.gauge('vus').set(3);
      reg.trend('payload', false).add(10);
      reg.counter('iterations').add(1, { scenario: 'walkers' }); // a tag set: left out
    });
    const p = toDashboardPoint({ seq: 2, endEpochMs: 0, elapsedMs: 3000, intervalMs: 1000, agg });
    expect(p).toMatchObject({ i: 2, t: 3, s: 1 });
    expect(p.c).toEqual({ iterations: 102, ws_errors: 1 });
    expect(p.r).toEqual({ checks: [3, 1] });
    expect(p.g).toEqual({ vus: 6 }); // two workers' levels add up
    expect(Object.keys(p.q)).toEqual(['ws_cmd_duration']);
    expect(p.q.ws_cmd_duration).toEqual([
      200,
      agg.percentile('ws_cmd_duration', 50),
      agg.percentile('ws_cmd_duration', 95),
      agg.percentile('ws_cmd_duration', 99),
    ]);
    expect(p.q.ws_cmd_duration?.[3]).toBeCloseTo(196, 0); // of both workers' samples, not an average of p99s
    // A trend that is not a time: its own unit (HDR's ±0.1%), kept apart from the latencies.
    expect(Object.keys(p.n)).toEqual(['payload']);
    expect(p.n.payload?.[0]).toBe(2);
    for (const v of p.n.payload?.slice(1) ?? []) expect(v).toBeCloseTo(10, 1);
    agg.destroy();
  });

  it('gives the last, shorter interval its own span, so that its counts over it are rates', () => {
    const agg = interval((reg) => reg.counter('iterations').add(5));
    const p = toDashboardPoint({ seq: 4, endEpochMs: 0, elapsedMs: 4250, intervalMs: 1000, agg });
    expect(p.t).toBe(4.25);
    expect(p.s).toBe(0.25);
    expect((p.c.iterations ?? 0) / p.s).toBe(40);
    // Never more than an interval, never zero.
    expect(toDashboardPoint({ seq: 0, endEpochMs: 0, elapsedMs: 0, intervalMs: 1000, agg }).s).toBe(0.001);
    agg.destroy();
  });

  it('holds only what the interval itself counted (two intervals are two counts, not a running total)', () => {
    const first = interval((reg) => reg.counter('iterations').add(7));
    const second = interval((reg) => reg.counter('iterations').add(3));
    const a = toDashboardPoint({ seq: 0, endEpochMs: 0, elapsedMs: 1000, intervalMs: 1000, agg: first });
    const b = toDashboardPoint({ seq: 1, endEpochMs: 0, elapsedMs: 2000, intervalMs: 1000, agg: second });
    expect([a.c.iterations, b.c.iterations]).toEqual([14, 6]);
    first.destroy();
    second.destroy();
  });
});

describe('toDashboardEnd', () => {
  it('lists thresholds, each check once by name, untagged metrics and the tagged series a threshold names', () => {
    const tracked = ['iterations{scenario:walkers}'];
    const agg = interval((reg) => {
      reg.counter('iterations').add(4, { scenario: 'walkers' });
      reg.counter('iterations').add(1, { scenario: 'idlers' });
      reg
        .rate('checks')
        .addCheck('checks{check:auth ok}', true, { check: 'auth ok' }, { scenario: 'walkers' });
      reg
        .rate('checks')
        .addCheck('checks{check:auth ok}', false, { check: 'auth ok' }, { scenario: 'walkers' });
      reg.trend('ws_cmd_duration').add(12);
    }, tracked);
    const summary = buildSummary(agg, {
      scenarioFile: 's.ts',
      startedAt: new Date(0).toISOString(),
      durationMs: 2000,
      segments: [{ index: 0, count: 1 }],
      workers: 2,
      thresholdPlans: [
        {
          metric: 'iterations{scenario:walkers}',
          expression: 'count>100',
          abortOnFail: false,
          delayAbortEvalMs: 0,
        },
        { metric: 'ws_cmd_duration', expression: 'p(99)<50', abortOnFail: false, delayAbortEvalMs: 0 },
      ],
      errors: { boom: 1, 'connection refused': 3 },
      warnings: ['careful'],
      generatorLagP99Ms: 1,
      generatorCpuShare: 0.1,
    });
    const end = toDashboardEnd(summary);
    expect(end.thresholds.map((t) => [t.metric, t.expression, t.ok])).toEqual([
      ['iterations{scenario:walkers}', 'count>100', false],
      ['ws_cmd_duration', 'p(99)<50', true],
    ]);
    expect(end.thresholds[0]?.actual).toBe(8);
    expect(end.thresholds[1]?.actual).toBeCloseTo(12, 1);
    expect(end.checks).toEqual([{ name: 'auth ok', passes: 2, fails: 2 }]);
    expect(end.metrics.map((m) => m.key)).toEqual([
      'checks',
      'iterations',
      'iterations{scenario:walkers}',
      'ws_cmd_duration',
    ]);
    const iterations = end.metrics.find((m) => m.key === 'iterations');
    expect(iterations).toEqual({ key: 'iterations', ...summary.metrics.iterations, raw: undefined });
    expect(end.errors).toEqual([
      ['connection refused', 3],
      ['boom', 1],
    ]);
    expect(end.warnings).toEqual(['careful']);
    expect(JSON.stringify(end)).not.toContain('raw');
    agg.destroy();
  });
});
