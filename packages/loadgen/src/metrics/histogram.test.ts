import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, record } from './histogram.js';

/** Every power of two up to 2^40 and its neighbours, the edges of the histogram's buckets. */
function bucketEdges(): number[] {
  const out = [0, -0];
  for (let bit = 0; bit <= 40; bit++) {
    const p = 2 ** bit;
    out.push(p - 1, p, p + 1);
  }
  return out;
}

/** Latencies in µs over the range a load test sees, from 1 µs to about an hour. */
function spread(n: number): number[] {
  let x = 7;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(Math.floor(2 ** (32 * (x / 2147483648))));
  }
  return out;
}

/** The histogram after `values`, recorded one way, and what the library's readers see of it. */
function recorded(
  values: readonly number[],
  add: (h: ReturnType<typeof createHistogram>, v: number) => void,
) {
  const h = createHistogram();
  for (const v of values) add(h, v);
  const seen = {
    encoded: encodeHistogram(h),
    totalCount: h.totalCount,
    min: h.minNonZeroValue,
    max: h.maxValue,
    p50: h.getValueAtPercentile(50),
    p99: h.getValueAtPercentile(99),
  };
  h.destroy();
  return seen;
}

describe('record', () => {
  it('gives the same histogram as the library’s recordValue', () => {
    // Values past the first counts array make the library grow it (through recordValue), and
    // values of 2^31 and more, fractions included, are not 31-bit integers: all must agree.
    const values = [...bucketEdges(), ...spread(20_000), 2 ** 31, 2 ** 35 + 0.5, 12.25, 0.5];
    const fast = recorded(values, record);
    const library = recorded(values, (h, v) => h.recordValue(v));
    expect(fast).toEqual(library);
    expect(fast.totalCount).toBe(values.length);
  });

  it('keeps every value exactly where the histogram has unit resolution', () => {
    const h = createHistogram();
    for (let v = 1; v <= 2000; v++) record(h, v);
    expect(h.totalCount).toBe(2000);
    expect([h.minNonZeroValue, h.maxValue]).toEqual([1, 2000]);
    expect(h.getValueAtPercentile(50)).toBe(1000);
    expect(h.getValueAtPercentile(99.9)).toBe(1998);
    h.destroy();
  });
});
