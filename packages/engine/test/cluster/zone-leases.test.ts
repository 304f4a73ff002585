import { redisAvailable, startThrowawayRedis, type ThrowawayRedis } from '@leviathan/test-support';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClusterMetrics } from '../../src/cluster/cluster-metrics.js';
import { LeaseKeeper } from '../../src/cluster/lease-keeper.js';
import { openRedis } from '../../src/cluster/redis-client.js';
import { ZoneLeases } from '../../src/cluster/zone-leases.js';
import {
  ClusterConfigError,
  ClusterUnavailableError,
  ZoneLeaseHeldError,
  type ZoneLeaseLostError,
} from '../../src/errors.js';

let redis: ThrowawayRedis;
const clients: Redis[] = [];
const keepers: LeaseKeeper[] = [];
let cluster = 0;

async function client(): Promise<Redis> {
  const c = await openRedis({ url: redis.url, commandTimeoutMs: 300 });
  clients.push(c);
  return c;
}

/** A node: its own connection, its own lease keeper, and the leases it lost. */
async function node(
  name: string,
  opts: { ttlMs?: number; floors?: Map<string, number>; clusterName?: string } = {},
) {
  const leases = new ZoneLeases(await client(), { cluster: opts.clusterName ?? `c${cluster}`, node: name });
  const lost: ZoneLeaseLostError[] = [];
  const registry = new Registry();
  const keeper = new LeaseKeeper({
    leases,
    fences: fencesOf(opts.floors ?? new Map()),
    // Long enough that a loaded CI machine's event-loop stalls do not lose leases by accident.
    ttlMs: opts.ttlMs ?? 1500,
    onLost: (e) => {
      lost.push(e);
    },
    metrics: createClusterMetrics(registry),
  });
  keepers.push(keeper);
  return { leases, keeper, lost, registry };
}

/**
 * The store's fence table as a map: these tests are about Redis; fenced-takeover.test.ts runs the
 * leases against Postgres's.
 */
function fencesOf(floors: Map<string, number>) {
  return {
    zoneFence: async (zone: string) => floors.get(zone) ?? 0,
    claimZoneFence: async (zone: string, token: number) => {
      floors.set(zone, Math.max(floors.get(zone) ?? 0, token));
      return floors.get(zone) as number;
    },
  };
}

async function until(check: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

describe.skipIf(!redisAvailable())('zone leases on a real Redis', () => {
  beforeAll(async () => {
    redis = await startThrowawayRedis();
  });
  afterEach(async () => {
    cluster++;
    await Promise.all(keepers.splice(0).map((k) => k.close()));
    for (const c of clients.splice(0)) c.disconnect();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('gives a zone to one node at a time, and names the holder to the others', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    const lease = await a.keeper.acquire('harbour');
    expect(lease).toEqual({ zone: 'harbour', node: 'node-a', token: 1 });
    const refused = await b.keeper.acquire('harbour').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ZoneLeaseHeldError);
    expect(refused).toMatchObject({ code: 'LEV_ERR_CLUSTER_ZONE_HELD', owner: 'node-a', zone: 'harbour' });
    expect((refused as ZoneLeaseHeldError).remainingMs).toBeGreaterThan(0);
    expect(await b.leases.holder('harbour')).toMatchObject({ node: 'node-a', token: 1 });
    // Acquiring again keeps the token; another zone is independent.
    expect((await a.keeper.acquire('harbour')).token).toBe(1);
    expect((await b.keeper.acquire('reef')).token).toBe(1);
    expect(a.keeper.zones()).toEqual(['harbour']);
  });

  it('keeps a lease past its length by renewing it', async () => {
    const a = await node('node-a', { ttlMs: 1500 });
    const b = await node('node-b');
    await a.keeper.acquire('harbour');
    await new Promise((r) => setTimeout(r, 3500)); // more than two lease lengths
    expect(a.keeper.lease('harbour')).toMatchObject({ token: 1 });
    expect(a.lost).toEqual([]);
    await expect(b.keeper.acquire('harbour')).rejects.toBeInstanceOf(ZoneLeaseHeldError);
  });

  it('hands a released zone over at once, with a higher token', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    await a.keeper.acquire('harbour');
    expect(await a.keeper.release('harbour')).toBe(true);
    expect(a.keeper.lease('harbour')).toBeUndefined();
    expect(await b.keeper.acquire('harbour')).toMatchObject({ node: 'node-b', token: 2 });
    expect(await a.leases.release({ zone: 'harbour', node: 'node-a', token: 1 })).toBe(false);
    expect(await b.leases.holder('harbour')).toMatchObject({ node: 'node-b', token: 2 });
  });

  it('a node cut off from Redis stops holding its zones before another node can take them', async () => {
    const ttlMs = 600;
    const a = await node('node-a', { ttlMs });
    const b = await node('node-b', { ttlMs });
    await a.keeper.acquire('harbour');
    const cutAt = Date.now();
    clients[0]?.disconnect(); // node A's connection: its renewals now fail
    let takenAt = 0;
    let heldByAWhenTaken: unknown;
    await until(() => {
      void b.keeper.acquire('harbour').then(
        () => {
          if (takenAt > 0) return;
          takenAt = Date.now();
          heldByAWhenTaken = a.keeper.lease('harbour');
        },
        () => {},
      );
      return takenAt > 0;
    }, 5000);
    // The old holder had let go by its own clock before Redis gave the zone to another.
    expect(heldByAWhenTaken).toBeUndefined();
    expect(a.lost[0]).toMatchObject({
      code: 'LEV_ERR_CLUSTER_LEASE_LOST',
      zone: 'harbour',
      reason: 'expired',
    });
    // Taken over once the lease ran out: within the 5 s a takeover may take, however loaded the machine.
    expect(takenAt - cutAt).toBeLessThan(5000);
    expect(b.keeper.lease('harbour')?.token).toBe(2);
    const events = await a.registry.getSingleMetricAsString('leviathan_cluster_lease_events_total');
    expect(events).toMatch(/event="lost_expired"} 1/);
    expect(events).toMatch(/event="renew_failed"} [1-9]/);
  });

  it('a holder whose lease another node took learns it at the next renewal', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    await a.keeper.acquire('harbour');
    // As after a pause longer than the lease: Redis dropped it and node B took the zone.
    await (await client()).del(`lev:c${cluster}:zone:{harbour}:lease`);
    await b.keeper.acquire('harbour');
    await a.keeper.renewNow();
    expect(a.lost.map((e) => e.reason)).toEqual(['taken']);
    expect(a.keeper.lease('harbour')).toBeUndefined();
    expect(b.keeper.lease('harbour')?.token).toBe(2);
  });

  it('after a Redis restart that lost every key, new tokens still start above what the store accepted', async () => {
    const floors = new Map([['harbour', 7]]);
    const a = await node('node-a', { floors });
    expect((await a.keeper.acquire('harbour')).token).toBe(8);
    expect(floors.get('harbour')).toBe(8); // claimed
    await redis.kill();
    // While Redis is down: acquiring fails fast and says why; held leases run out.
    const b = await node('node-b', { floors }).catch((e: unknown) => e);
    expect(b).toBeInstanceOf(ClusterUnavailableError);
    await expect(a.keeper.acquire('reef')).rejects.toBeInstanceOf(ClusterUnavailableError);
    await until(() => a.lost.length > 0, 5000);
    await redis.start();
    // The client reconnects by itself; the counter is gone, the floor is not.
    await until(() => clients[0]?.status === 'ready', 5000);
    expect((await a.keeper.acquire('harbour')).token).toBe(9);
  });

  it('keeps clusters sharing one Redis apart', async () => {
    const a = await node('node-a', { clusterName: 'east' });
    const b = await node('node-b', { clusterName: 'west' });
    expect((await a.keeper.acquire('harbour')).node).toBe('node-a');
    expect((await b.keeper.acquire('harbour')).node).toBe('node-b');
  });

  it('refuses options that would lose leases or corrupt them', async () => {
    const leases = new ZoneLeases(await client(), { cluster: 'x', node: 'n' });
    const make = (ttlMs: number, renewEveryMs?: number) =>
      new LeaseKeeper({ leases, fences: fencesOf(new Map()), ttlMs, renewEveryMs, onLost: () => {} });
    expect(() => make(1000, 600)).toThrow(ClusterConfigError);
    expect(() => make(50)).toThrow(/at least 100/);
    expect(() => new ZoneLeases(clients[0] as Redis, { cluster: 'x', node: 'a\tb' })).toThrow(
      ClusterConfigError,
    );
    await expect(openRedis({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(
      /cannot connect to Redis at redis:\/\/127\.0\.0\.1:1/,
    );
  });
});
