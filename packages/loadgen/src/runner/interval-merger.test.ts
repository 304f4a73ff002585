import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from '../metrics/types.js';
import { IntervalMerger } from './interval-merger.js';

const health = { lagP99Ms: 1, lagMaxMs: 2 };
const counted = (n: number): MetricsSnapshot => ({ sent: { type: 'counter', count: n } });

/** The complete intervals: their numbers and the merged `sent` count of each. */
function take(merger: IntervalMerger): [number, number][] {
  const out: [number, number][] = [];
  for (const { seq, agg } of merger.takeComplete()) {
    const v = agg.values('sent', 1000);
    out.push([seq, v?.type === 'counter' ? v.values.count : 0]);
    agg.destroy();
  }
  return out;
}

describe('IntervalMerger', () => {
  it('gives an interval once every worker has reported it, in order', () => {
    const merger = new IntervalMerger(2);
    merger.add(0, 0, counted(1), health);
    merger.add(0, 1, counted(2), health);
    expect(take(merger)).toEqual([]);
    // Worker 1's second interval arrives before its first: the first still holds it back.
    merger.add(1, 1, counted(20), health);
    expect(take(merger)).toEqual([]);
    merger.add(1, 0, counted(10), health);
    expect(take(merger)).toEqual([
      [0, 11],
      [1, 22],
    ]);
    expect(take(merger)).toEqual([]);
  });

  it('stops waiting for a crashed worker after the last interval it sent', () => {
    const merger = new IntervalMerger(2);
    merger.add(0, 0, counted(1), health);
    merger.add(1, 0, counted(10), health);
    merger.add(0, 1, counted(2), health);
    merger.add(0, 2, counted(3), health);
    expect(take(merger)).toEqual([[0, 11]]);
    expect(merger.ended(1)).toBe(false);
    merger.crashed(1);
    expect(merger.ended(1)).toBe(true);
    expect(take(merger)).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it('adds the gauge levels a done worker ended on to the later intervals', () => {
    const merger = new IntervalMerger(2);
    merger.done(0, 0, { vus_max: { type: 'gauge', value: 5, min: 0, max: 5 } }, health);
    merger.add(1, 0, { vus_max: { type: 'gauge', value: 3, min: 0, max: 3 } }, health);
    merger.add(1, 1, { vus_max: { type: 'gauge', value: 3, min: 3, max: 3 } }, health);
    expect(merger.ended(0)).toBe(true);
    const levels = [...merger.takeComplete()].map(({ seq, agg }) => {
      const v = agg.values('vus_max', 1000);
      agg.destroy();
      return [seq, v?.type === 'gauge' ? v.values.value : undefined];
    });
    expect(levels).toEqual([
      [0, 8],
      [1, 8],
    ]);
  });
});
