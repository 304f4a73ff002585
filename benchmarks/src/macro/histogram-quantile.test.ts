import { describe, expect, it } from 'vitest';
import { histogramBuckets, quantileBetween } from './histogram-quantile.js';

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
