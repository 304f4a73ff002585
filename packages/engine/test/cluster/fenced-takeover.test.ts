import {
  createTestDatabase,
  databaseUrl,
  redisAvailable,
  startThrowawayRedis,
  type TestDatabase,
  type ThrowawayRedis,
} from '@leviathan/test-support';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseKeeper } from '../../src/cluster/lease-keeper.js';
import { openRedis } from '../../src/cluster/redis-client.js';
import { ZoneLeases } from '../../src/cluster/zone-leases.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createStoreMetrics } from '../../src/store/store-metrics.js';
import { WriteBehind } from '../../src/store/write-behind.js';

/**
 * Leases and fences together, as two nodes use them: real Redis, real Postgres, the real
 * write-behind. A node cut off from Redis loses its zone to another; the state it still flushes
 * afterwards is refused, and the new owner's is kept.
 */
describe.skipIf(!redisAvailable() || !databaseUrl())(
  'a zone taken over from a node cut off from Redis',
  () => {
    let redis: ThrowawayRedis;
    let db: TestDatabase;
    const closers: Array<() => Promise<void> | void> = [];

    beforeAll(async () => {
      redis = await startThrowawayRedis();
      db = await createTestDatabase('fenced');
    });
    afterAll(async () => {
      for (const close of closers.reverse()) await close();
      await redis?.stop();
      await db?.drop();
    });

    async function node(name: string) {
      const client: Redis = await openRedis({ url: redis.url, commandTimeoutMs: 300 });
      const store = await PostgresStore.open({ url: db.url, maxConnections: 2 });
      const registry = new Registry();
      const keeper = new LeaseKeeper({
        leases: new ZoneLeases(client, { cluster: 'fenced', node: name }),
        fences: store,
        ttlMs: 600,
        onLost: () => {},
      });
      const writeBehind = new WriteBehind({
        store,
        nodeId: name,
        flushIntervalMs: 60_000,
        metrics: createStoreMetrics(registry),
        // World keys are `<zone>/<id>`.
        fenceOf: (_kind, key) => keeper.fenceFor(key.slice(0, key.indexOf('/'))),
      });
      closers.push(
        () => client.disconnect(),
        () => store.close(),
        async () => {
          await writeBehind.close(100);
        },
        () => keeper.close(),
      );
      return { client, store, keeper, writeBehind, registry };
    }

    it("refuses the old owner's late save and keeps the new owner's state", async () => {
      const a = await node('node-a');
      const b = await node('node-b');
      await a.keeper.acquire('harbour');
      a.writeBehind.ingest({
        shard: 0,
        tick: 1,
        players: [],
        world: [{ key: 'harbour/chest', version: 1, data: { gold: 1 } }],
      });
      expect(await a.writeBehind.flush()).toMatchObject({ saved: 1 });
      expect(await a.store.zoneFence('harbour')).toBe(1);

      a.client.disconnect(); // node A is cut off from Redis; its state changes on meanwhile
      a.writeBehind.ingest({
        shard: 0,
        tick: 2,
        players: [],
        world: [{ key: 'harbour/chest', version: 2, data: { gold: 0 } }],
      });

      // Node B takes the zone once the lease has run out, and claims it in the store.
      let lease: Awaited<ReturnType<LeaseKeeper['acquire']>> | undefined;
      const deadline = Date.now() + 5000;
      while (!lease && Date.now() < deadline) {
        lease = await b.keeper.acquire('harbour').catch(() => undefined);
        if (!lease) await new Promise((r) => setTimeout(r, 50));
      }
      expect(lease?.token).toBe(2);
      expect(await b.store.zoneFence('harbour')).toBe(2);
      const [loaded] = await b.store.loadWorld('harbour/');
      expect(loaded).toMatchObject({ version: 1, data: { gold: 1 } });

      // Node A's flush comes late, before B has saved anything: it expects the very version B
      // loaded, so versions alone would let it through. The claimed fence refuses it.
      expect(await a.writeBehind.flush()).toEqual({ saved: 0, pending: 0, failed: false });
      expect(await a.store.loadWorld('harbour/')).toEqual([
        { key: 'harbour/chest', version: 1, data: { gold: 1 } },
      ]);

      // Node B plays on from what it loaded, and saves.
      b.writeBehind.track('world', 'harbour/chest', loaded?.version ?? 0);
      b.writeBehind.ingest({
        shard: 0,
        tick: 1,
        players: [],
        world: [{ key: 'harbour/chest', version: 1, data: { gold: 99 } }],
      });
      expect(await b.writeBehind.flush()).toMatchObject({ saved: 1 });
      expect(await b.store.loadWorld('harbour/')).toEqual([
        { key: 'harbour/chest', version: 2, data: { gold: 99 } },
      ]);
      expect(await a.registry.getSingleMetricAsString('leviathan_db_errors_total')).toMatch(
        /operation="fenced_world"} 1/,
      );
    });
  },
);
