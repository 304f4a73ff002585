import { describe, expect, it } from 'vitest';
import { histogramBuckets, quantileBetween } from './histogram-quantile.js';
import { tickP99Between } from './tick-p99.js';

const scrape = (counts: number[]) =>
  [0.001, 0.01, 0.1, '+Inf']
    .map((le, i) => `leviathan_tick_duration_seconds_bucket{shard="0",le="${le}"} ${counts[i]}`)
    .join('\n');

describe('quantileBetween', () => {
  it('takes the quantile of the observations between two scrapes, interpolated in its bucket', () => {
    const before = histogramBuckets(scrape([10, 10, 10, 10]), 'leviathan_tick_duration_seconds');
    // 100 new observations: 50 under 1 ms, 40 in (1, 10] ms, 10 in (10, 100] ms.
    const after = histogramBuckets(scrape([60, 100, 110, 110]), 'leviathan_tick_duration_seconds');
    expect(quantileBetween(before, after, 0.5)).toBeCloseTo(0.001);
    expect(quantileBetween(before, after, 0.99)).toBeCloseTo(0.01 + 0.09 * 0.9);
    expect(quantileBetween(after, after, 0.99)).toBeUndefined();
  });

  it('sums the buckets of every shard', () => {
    const text = `${scrape([1, 2, 3, 4])}\n${scrape([1, 2, 3, 4]).replaceAll('shard="0"', 'shard="1"')}`;
    expect(histogramBuckets(text, 'leviathan_tick_duration_seconds').get(Number.POSITIVE_INFINITY)).toBe(8);
  });
});

describe('tickP99Between', () => {
  it('reads the tick p99 in milliseconds and counts the ticks between two scrapes', () => {
    const at = (counts: number[]) =>
      [0.001, 0.005, 0.01, '+Inf']
        .map((le, i) => `leviathan_tick_duration_seconds_bucket{shard="1",le="${le}"} ${counts[i]}`)
        .join('\n');
    // 200 ticks: 196 under 1 ms, 4 in (1, 5] ms: the p99 (rank 198) is half way into that bucket.
    const { p99Ms, ticks } = tickP99Between(at([0, 0, 0, 0]), at([196, 200, 200, 200]));
    expect(ticks).toBe(200);
    expect(p99Ms).toBeCloseTo(3);
    expect(() => tickP99Between(at([1, 1, 1, 1]), at([1, 1, 1, 1]))).toThrow(/no tick/);
  });
});
