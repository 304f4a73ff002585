import { describe, expect, it } from 'vitest';
import { MetricTypeConflictError } from '../errors.js';
import { Aggregate } from './aggregate.js';
import { createHistogram } from './histogram.js';
import { Registry } from './registry.js';

/** A deterministic spread of latencies in µs, with a long tail. */
function samples(seed: number, n: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const u = x / 2147483648;
    out.push(Math.round(200 + 50_000 * u ** 6));
  }
  return out;
}

describe('histogram merging', () => {
  it('gives the percentiles of all samples, not an average of percentiles', () => {
    const a = samples(1, 5000);
    const b = samples(2, 20_000).map((v) => v * 3); // a slower worker
    const regA = new Registry();
    const regB = new Registry();
    for (const v of a) regA.trend('lat').addScaled(v);
    for (const v of b) regB.trend('lat').addScaled(v);
    const merged = new Aggregate();
    merged.add(regA.snapshot());
    merged.add(regB.snapshot());

    const all = createHistogram();
    for (const v of [...a, ...b]) all.recordValue(v);
    for (const p of [50, 90, 95, 99, 99.9])
      expect(merged.percentile('lat', p)).toBe(all.getValueAtPercentile(p) / 1000);
    const stats = merged.values('lat', 1000);
    expect(stats?.type === 'trend' && stats.values.count).toBe(25_000);

    // The naive merge (average of the two p99s) is measurably wrong here: the test would catch it.
    const onlyA = new Aggregate();
    const regA2 = new Registry();
    for (const v of a) regA2.trend('lat').addScaled(v);
    onlyA.add(regA2.snapshot());
    const onlyB = new Aggregate();
    const regB2 = new Registry();
    for (const v of b) regB2.trend('lat').addScaled(v);
    onlyB.add(regB2.snapshot());
    const averaged = ((onlyA.percentile('lat', 99) as number) + (onlyB.percentile('lat', 99) as number)) / 2;
    expect(Math.abs(averaged - (merged.percentile('lat', 99) as number))).toBeGreaterThan(1);
  });

  it('round-trips through the serialized form (what processes exchange)', () => {
    const reg = new Registry();
    for (const v of samples(3, 1000)) reg.trend('lat').addScaled(v);
    reg.counter('n').add(5);
    reg.rate('ok').add(true);
    reg.rate('ok').add(false);
    const first = new Aggregate();
    first.add(reg.snapshot());
    const again = new Aggregate();
    again.add(JSON.parse(JSON.stringify(first.toSnapshot())));
    expect(again.values('lat', 1000)).toEqual(first.values('lat', 1000));
    expect(again.values('n', 1000)).toEqual({ type: 'counter', values: { count: 5, rate: 5 } });
    expect(again.values('ok', 1000)).toEqual({ type: 'rate', values: { rate: 0.5, passes: 1, fails: 1 } });
  });

  it('sums gauges across workers, keeps the latest across intervals', () => {
    const w1 = new Registry();
    const w2 = new Registry();
    w1.gauge('vus').set(3);
    w2.gauge('vus').set(4);
    const interval = new Aggregate();
    interval.add(w1.snapshot(), 'sum');
    interval.add(w2.snapshot(), 'sum');
    expect(interval.values('vus', 1)?.values).toMatchObject({ value: 7 });
    const totals = new Aggregate();
    totals.add(interval.toSnapshot(), 'latest');
    w1.gauge('vus').set(1);
    w2.gauge('vus').set(0);
    const next = new Aggregate();
    next.add(w1.snapshot(), 'sum');
    next.add(w2.snapshot(), 'sum');
    totals.add(next.toSnapshot(), 'latest');
    expect(totals.values('vus', 1)?.values).toEqual({ value: 1, min: 1, max: 7 });
  });

  it('starts a fresh interval after each snapshot', () => {
    const reg = new Registry();
    reg.counter('n').add(2);
    expect(reg.snapshot().n).toEqual({ type: 'counter', count: 2 });
    expect(reg.snapshot().n).toBeUndefined();
  });

  it('refuses one name with two types', () => {
    const reg = new Registry();
    reg.trend('x');
    expect(() => reg.counter('x')).toThrow(MetricTypeConflictError);
  });
});
