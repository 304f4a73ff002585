import { redisAvailable, startThrowawayRedis, type ThrowawayRedis } from '@leviathan/test-support';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClusterMetrics } from '../../src/cluster/cluster-metrics.js';
import { NodeMembership } from '../../src/cluster/node-membership.js';
import { openRedis } from '../../src/cluster/redis-client.js';
import { ClusterConfigError, ClusterUnavailableError } from '../../src/errors.js';

let redis: ThrowawayRedis;
const clients: Redis[] = [];
const members: NodeMembership[] = [];
let cluster = 0;

async function member(node: string, onChange?: (nodes: readonly string[]) => void, ttlMs = 1500) {
  const c = await openRedis({ url: redis.url, commandTimeoutMs: 300 });
  clients.push(c);
  const registry = new Registry();
  const m = new NodeMembership({
    redis: c,
    cluster: `m${cluster}`,
    node,
    info: { address: `${node}.example:7777`, startedAt: '2026-12-04T00:00:00.000Z' },
    ttlMs,
    onChange,
    nodesUp: createClusterMetrics(registry).nodesUp,
  });
  members.push(m);
  return { m, client: c, registry };
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(!redisAvailable())('cluster membership on a real Redis', () => {
  beforeAll(async () => {
    redis = await startThrowawayRedis();
  });
  afterEach(async () => {
    cluster++;
    await Promise.all(members.splice(0).map((m) => m.leave().catch(() => {})));
    for (const c of clients.splice(0)) c.disconnect();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('sees nodes join, leave cleanly, and die (heartbeats stop)', async () => {
    const seen: string[][] = [];
    const a = await member('node-a', (nodes) => seen.push([...nodes]));
    const b = await member('node-b');
    const c = await member('node-c');
    expect(await a.m.join()).toEqual(['node-a']);
    await b.m.join();
    expect(await a.m.heartbeat()).toEqual(['node-a', 'node-b']);
    await c.m.join();
    expect(await a.m.heartbeat()).toEqual(['node-a', 'node-b', 'node-c']);
    expect(await a.m.info('node-b')).toEqual({
      address: 'node-b.example:7777',
      startedAt: '2026-12-04T00:00:00.000Z',
    });
    expect(await a.registry.getSingleMetricAsString('leviathan_cluster_nodes_up')).toMatch(/nodes_up 3/);

    await b.m.leave(); // a clean stop: gone at the next heartbeat of the others
    await until(() => a.m.nodes().length === 2, 1000);
    expect(await a.m.info('node-b')).toBeUndefined();

    const diedAt = Date.now();
    c.client.disconnect(); // node C stops heartbeating, as if killed
    await until(() => a.m.nodes().length === 1, 5000);
    expect(Date.now() - diedAt).toBeLessThan(5000);
    expect(seen).toEqual([
      ['node-a'],
      ['node-a', 'node-b'],
      ['node-a', 'node-b', 'node-c'],
      ['node-a', 'node-c'],
      ['node-a'],
    ]);
  });

  it('keeps a draining node up but out of the placement, until it leaves or dies', async () => {
    const a = await member('node-a');
    const b = await member('node-b', undefined, 600);
    await a.m.join();
    await b.m.join();
    await b.m.drain();
    await a.m.heartbeat();
    expect(a.m.nodes()).toEqual(['node-a', 'node-b']);
    expect(a.m.placeable()).toEqual(['node-a']);
    expect(b.m.placeable()).toEqual(['node-a']);
    // It dies while draining (no heartbeat, no leave): both lists forget it once its ttl passed.
    b.client.disconnect();
    await new Promise((r) => setTimeout(r, 700));
    await a.m.heartbeat();
    expect(a.m.nodes()).toEqual(['node-a']);
    expect(a.m.placeable()).toEqual(['node-a']);
  });

  it('hears joins and clean leaves at once, long before the next heartbeat', async () => {
    // Heartbeats every 10 s: seeing the changes within 3 s can only come from the notices.
    const a = await member('node-a', undefined, 30_000);
    const b = await member('node-b', undefined, 30_000);
    await a.m.join();
    await b.m.join();
    await until(() => a.m.nodes().length === 2, 3000);
    await b.m.leave();
    await until(() => a.m.nodes().length === 1, 3000);
    expect(a.m.nodes()).toEqual(['node-a']);
  });

  it('counts itself alone once no heartbeat got through for a ttl, and sees the others again after', async () => {
    const seen: string[][] = [];
    let cutOff = 0;
    const c = await openRedis({ url: redis.url, commandTimeoutMs: 300 });
    clients.push(c);
    const a = new NodeMembership({
      redis: c,
      cluster: `m${cluster}`,
      node: 'node-a',
      info: { address: 'node-a.example:7777', startedAt: '2026-12-05T00:00:00.000Z' },
      ttlMs: 900,
      onChange: (nodes) => seen.push([...nodes]),
      onCutOff: () => cutOff++,
    });
    members.push(a);
    const b = await member('node-b', undefined, 900);
    await a.join();
    await b.m.join();
    await until(() => a.nodes().length === 2, 3000);
    await redis.kill();
    await until(() => cutOff === 1, 5000);
    expect(a.nodes()).toEqual(['node-a']);
    expect(seen.at(-1)).toEqual(['node-a']);
    await redis.start();
    await until(() => a.nodes().length === 2, 10_000);
    expect(cutOff).toBe(1);
  });

  it('says when Redis is down, and carries on heartbeating once it is back', async () => {
    const a = await member('node-a');
    await a.m.join();
    await redis.kill();
    await expect(a.m.heartbeat()).rejects.toBeInstanceOf(ClusterUnavailableError);
    await redis.start();
    // The restarted Redis has lost the set; the next heartbeats put the node back.
    await until(() => a.client.status === 'ready', 5000);
    expect(await a.m.heartbeat()).toEqual(['node-a']);
  });

  it('hears joins again once Redis is back: it subscribes again after a reconnect', async () => {
    // Heartbeats every 10 s: seeing node-b within 3 s of its join can only come from the notice,
    // which reaches node-a only if node-a's subscription came back with the connection.
    const a = await member('node-a', undefined, 30_000);
    await a.m.join();
    await redis.kill();
    await redis.start();
    await until(() => a.client.status === 'ready', 5000);
    await a.m.heartbeat();
    // The subscriber reconnects on its own clock (backing off to a second between attempts).
    await new Promise((r) => setTimeout(r, 2500));
    const b = await member('node-b', undefined, 30_000);
    await b.m.join();
    await until(() => a.m.nodes().length === 2, 3000);
    expect(a.m.nodes()).toEqual(['node-a', 'node-b']);
  });

  it('refuses a heartbeat period that would let a node look dead between two heartbeats', async () => {
    const c = await openRedis({ url: redis.url });
    clients.push(c);
    const info = { address: 'x:1', startedAt: '' };
    expect(
      () =>
        new NodeMembership({ redis: c, cluster: 'x', node: 'n', info, ttlMs: 1000, heartbeatEveryMs: 800 }),
    ).toThrow(ClusterConfigError);
  });
});
