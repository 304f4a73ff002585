import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { collectThreadMetrics } from './aggregate-metrics.js';
import { BucketTally } from './bucket-tally.js';

const BOUNDS = [0.001, 0.01, 0.1, 1];

describe('BucketTally', () => {
  it('gives the same buckets, sum and count as prom-client observing the same values', async () => {
    const values = [0, 0.0005, 0.001, 0.002, 0.05, 0.1, 0.5, 1, 3, 7, 0.01, 0.0099];
    const observed = new Registry();
    const reference = new Histogram({ name: 'h_seconds', help: 'h', buckets: BOUNDS, registers: [observed] });
    for (const v of values) reference.observe(v);

    const tallied = new Registry();
    new Histogram({ name: 'h_seconds', help: 'h', buckets: BOUNDS, registers: [tallied] });
    const tally = new BucketTally('h_seconds', BOUNDS);
    for (const v of values.slice(0, 5)) tally.observe(v);
    const first = await collectThreadMetrics(tallied);
    tally.addTo(first);
    for (const v of values.slice(5)) tally.observe(v);
    // Counts are cumulative over the life of the thread, as prom-client's are.
    const snapshot = await collectThreadMetrics(tallied);
    tally.addTo(snapshot);
    expect(snapshot).toEqual(await collectThreadMetrics(observed));
  });
});
