import { createHistogram } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createThreadMetrics } from '../metrics/thread-metrics.js';
import { ShardMetrics } from './shard-metrics.js';

describe('ShardMetrics zone players', () => {
  it('reports only the ten busiest zones with players, and drops a zone that emptied', async () => {
    const metrics = createThreadMetrics(new Registry(), { eventLoopDelays: createHistogram() });
    const shard = new ShardMetrics(metrics, 3, createHistogram());
    const zones = Array.from({ length: 14 }, (_, i) => ({ id: `z${i}`, playerCount: i }));
    shard.sync(91, zones);
    const values = async () =>
      (await metrics.zonePlayers.get()).values.map((v) => [v.labels.zone, v.value, v.labels.shard]);
    const first = await values();
    expect(first).toHaveLength(10);
    expect(first.map(([zone]) => zone)).toEqual([
      'z13',
      'z12',
      'z11',
      'z10',
      'z9',
      'z8',
      'z7',
      'z6',
      'z5',
      'z4',
    ]);
    expect(first.every(([, , s]) => s === '3')).toBe(true);

    shard.sync(1, [
      { id: 'z13', playerCount: 0 },
      { id: 'z2', playerCount: 1 },
    ]);
    expect(await values()).toEqual([['z2', 1, '3']]);
    metrics.close();
  });
});
