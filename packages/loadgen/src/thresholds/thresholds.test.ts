import { describe, expect, it } from 'vitest';
import { InvalidThresholdError } from '../errors.js';
import { Aggregate } from '../metrics/aggregate.js';
import { Registry } from '../metrics/registry.js';
import { Thresholds } from './evaluate.js';
import { parseThreshold } from './parse.js';

describe('parseThreshold', () => {
  it('reads k6 expressions', () => {
    expect(parseThreshold('m', 'p(95)<200')).toMatchObject({
      aggregation: 'p',
      percentile: 95,
      operator: '<',
      value: 200,
    });
    expect(parseThreshold('m', 'p(99.9) <= 1.5')).toMatchObject({
      aggregation: 'p',
      percentile: 99.9,
      operator: '<=',
    });
    expect(parseThreshold('m', 'rate<0.01')).toMatchObject({ aggregation: 'rate', value: 0.01 });
    expect(parseThreshold('m', 'count>10')).toMatchObject({ aggregation: 'count', operator: '>' });
    expect(parseThreshold('m', 'avg < 3')).toMatchObject({ aggregation: 'avg' });
    expect(parseThreshold('m{tag:x}', 'max==0')).toMatchObject({ aggregation: 'max', operator: '==' });
  });
  it.each(['p95<200', 'p(101)<1', 'rate', 'avg<<3', 'median<3', 'avg<abc', ''])('rejects %j', (e) => {
    expect(() => parseThreshold('m', e)).toThrow(InvalidThresholdError);
  });
  it('rejects a malformed metric key', () => {
    expect(() => parseThreshold('m{tag}', 'avg<1')).toThrow(InvalidThresholdError);
  });
});

function aggregateOf(fill: (r: Registry) => void, tracked: string[] = []): Aggregate {
  const r = new Registry(tracked);
  fill(r);
  const agg = new Aggregate();
  agg.add(r.snapshot());
  return agg;
}

describe('Thresholds', () => {
  const agg = aggregateOf(
    (r) => {
      const t = r.trend('lat');
      for (let i = 1; i <= 100; i++) t.add(i, undefined, { scenario: i <= 50 ? 'a' : 'b' }); // 1..100 ms
      const c = r.rate('checks');
      for (let i = 0; i < 99; i++) c.add(true);
      c.add(false);
      r.counter('iterations').add(7);
      r.gauge('vus').set(3);
    },
    ['lat{scenario:a}'],
  );

  it('evaluates every aggregation on the right types, in display units', () => {
    const t = new Thresholds([
      { metric: 'lat', expression: 'p(95)<96', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'lat', expression: 'p(95)<90', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'lat', expression: 'avg<51', abortOnFail: false, delayAbortEvalMs: 0 },
      // HDR with 3 significant digits: values are exact to 0.1 % (100 ms reads as 100.031 ms).
      { metric: 'lat', expression: 'max<100.1', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'lat{scenario:a}', expression: 'max<=50.1', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'checks', expression: 'rate>0.98', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'checks', expression: 'rate==1', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'iterations', expression: 'count==7', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'vus', expression: 'value>2', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'dropped_iterations', expression: 'count==0', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'missing_trend', expression: 'p(95)<1', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'checks', expression: 'p(95)<1', abortOnFail: false, delayAbortEvalMs: 0 },
    ]);
    const results = t.evaluate(agg, 1000);
    expect(results.map((r) => r.ok)).toEqual([
      true,
      false,
      true,
      true,
      true,
      true,
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(results[10]?.reason).toBe('no samples');
    expect(results[11]?.reason).toMatch(/does not apply to a rate/);
  });

  it('aborts only on abortOnFail thresholds past their delay', () => {
    const t = new Thresholds([
      { metric: 'lat', expression: 'p(95)<1', abortOnFail: false, delayAbortEvalMs: 0 },
      { metric: 'lat', expression: 'max<2', abortOnFail: true, delayAbortEvalMs: 5000 },
    ]);
    expect(t.shouldAbort(agg, 1000)).toBeUndefined();
    expect(t.shouldAbort(agg, 5000)?.expression).toBe('max<2');
  });

  it('keeps the tagged series thresholds ask for', () => {
    const t = new Thresholds([
      { metric: 'lat{scenario:a}', expression: 'max<1', abortOnFail: false, delayAbortEvalMs: 0 },
    ]);
    expect(t.taggedSeries()).toEqual(['lat{scenario:a}']);
  });
});
