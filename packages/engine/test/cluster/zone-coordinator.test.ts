import {
  createTestDatabase,
  databaseUrl,
  redisAvailable,
  startThrowawayRedis,
  type TestDatabase,
  type ThrowawayRedis,
} from '@leviathan/test-support';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRedis } from '../../src/cluster/redis-client.js';
import { ZoneCoordinator } from '../../src/cluster/zone-coordinator.js';
import { placeZones } from '../../src/cluster/zone-placement.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';

const ZONES = Array.from({ length: 12 }, (_, i) => `zone-${i}`);

/** One ordered log of every node's zone events, to check that a handover never overlaps. */
type ZoneEvent = {
  node: string;
  zone: string;
  what: 'gained' | 'releasing' | 'released' | 'lost';
  at: number;
};

describe.skipIf(!redisAvailable() || !databaseUrl())(
  'zone coordination over three nodes (real Redis, real Postgres)',
  () => {
    let redis: ThrowawayRedis;
    let db: TestDatabase;
    let store: PostgresStore;
    let cluster = 0;
    const clients: Redis[] = [];
    const nodes: ZoneCoordinator[] = [];
    let events: ZoneEvent[] = [];

    beforeAll(async () => {
      redis = await startThrowawayRedis();
      db = await createTestDatabase('coordinator');
      store = await PostgresStore.open({ url: db.url, maxConnections: 4 });
    });
    afterEach(async () => {
      cluster++;
      events = [];
      await Promise.all(nodes.splice(0).map((n) => n.stop().catch(() => {})));
      for (const c of clients.splice(0)) c.disconnect();
    });
    afterAll(async () => {
      await store?.close();
      await db?.drop();
      await redis?.stop();
    });

    async function node(name: string, gained?: (zone: string) => Promise<void>) {
      const client = await openRedis({ url: redis.url, commandTimeoutMs: 300 });
      clients.push(client);
      const log = (zone: string, what: ZoneEvent['what']): void => {
        events.push({ node: name, zone, what, at: Date.now() });
      };
      const coordinator = new ZoneCoordinator({
        redis: client,
        cluster: `z${cluster}`,
        name,
        info: { address: `${name}:7777`, startedAt: new Date().toISOString() },
        zones: ZONES,
        fences: store,
        ttlMs: 1500,
        retryEveryMs: 100,
        handlers: {
          gained: async (zone) => {
            await gained?.(zone);
            log(zone, 'gained');
          },
          releasing: async (zone) => log(zone, 'releasing'),
          lost: (e) => log(e.zone, 'lost'),
        },
      });
      nodes.push(coordinator);
      await coordinator.start();
      return { coordinator, client };
    }

    /** Who holds each zone now, by the nodes' own view; fails when two nodes hold one. */
    function holders(list: ZoneCoordinator[]): Map<string, string> {
      const held = new Map<string, string>();
      for (const n of list)
        for (const zone of n.heldZones()) {
          expect(held.get(zone), `${zone} held twice`).toBeUndefined();
          held.set(zone, n.name);
        }
      return held;
    }

    async function settle(list: ZoneCoordinator[], names: string[], timeoutMs = 8000): Promise<number> {
      const want = placeZones(ZONES, names);
      const start = Date.now();
      for (;;) {
        const held = holders(list);
        if (ZONES.every((z) => held.get(z) === want.get(z))) return Date.now() - start;
        if (Date.now() - start > timeoutMs)
          throw new Error(`not settled in ${timeoutMs} ms: ${JSON.stringify(Object.fromEntries(held))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    it('gives a zone back when loading it fails, and takes it again at the next try', async () => {
      let failures = 0;
      const a = await node('node-a', async (zone) => {
        if (zone === 'zone-3' && failures++ === 0) throw new Error('the store is down');
      });
      await settle([a.coordinator], ['node-a']);
      // Held after the failed load, it would have been run by nobody, and never tried again.
      expect(failures).toBe(2);
      expect(events.filter((e) => e.zone === 'zone-3').map((e) => e.what)).toEqual(['gained']);
    });

    it('spreads the zones over the nodes, each zone on one node, as the placement says', async () => {
      const a = await node('node-a');
      const b = await node('node-b');
      const c = await node('node-c');
      await settle([a.coordinator, b.coordinator, c.coordinator], ['node-a', 'node-b', 'node-c']);
      // Every zone's fence was claimed by its holder.
      for (const zone of ZONES) expect(await store.zoneFence(zone)).toBeGreaterThan(0);
    });

    it('hands zones over when a node joins: the old owner lets go before the new one loads', async () => {
      const a = await node('node-a');
      const b = await node('node-b');
      await settle([a.coordinator, b.coordinator], ['node-a', 'node-b']);
      events = [];
      const c = await node('node-c');
      await settle([a.coordinator, b.coordinator, c.coordinator], ['node-a', 'node-b', 'node-c']);
      const moved = events.filter((e) => e.node === 'node-c' && e.what === 'gained').map((e) => e.zone);
      expect(moved.length).toBeGreaterThan(0);
      for (const zone of moved) {
        const releasing = events.findIndex((e) => e.zone === zone && e.what === 'releasing');
        const gained = events.findIndex((e) => e.zone === zone && e.what === 'gained');
        expect(releasing).toBeGreaterThanOrEqual(0);
        expect(releasing).toBeLessThan(gained);
      }
      expect(events.filter((e) => e.what === 'lost')).toEqual([]);
    });

    it('drains a node: its zones go to the others, none lost, and it holds nothing', async () => {
      const a = await node('node-a');
      const b = await node('node-b');
      const c = await node('node-c');
      await settle([a.coordinator, b.coordinator, c.coordinator], ['node-a', 'node-b', 'node-c']);
      const had = b.coordinator.heldZones().length;
      const started = Date.now();
      await b.coordinator.drain();
      const ms = await settle([a.coordinator, c.coordinator], ['node-a', 'node-c']);
      expect(b.coordinator.heldZones()).toEqual([]);
      expect(events.filter((e) => e.what === 'lost')).toEqual([]);
      // Still up while it drains (its players' names are its own until it saved them), but out of
      // the placement; gone once it stops.
      expect(a.coordinator.membership.nodes()).toContain('node-b');
      expect(a.coordinator.membership.placeable()).toEqual(['node-a', 'node-c']);
      await b.coordinator.stop();
      expect(await a.coordinator.membership.heartbeat()).toEqual(['node-a', 'node-c']);
      console.log(
        `[cluster] drain of ${had} zones: ${Date.now() - started} ms until the others held them all (settle ${ms} ms)`,
      );
    });

    it("takes over a dead node's zones once its leases run out", async () => {
      const a = await node('node-a');
      const b = await node('node-b');
      const c = await node('node-c');
      await settle([a.coordinator, b.coordinator, c.coordinator], ['node-a', 'node-b', 'node-c']);
      const killedAt = Date.now();
      c.client.disconnect(); // as kill -9 seen from Redis: no heartbeat, no renewal, no release
      await settle([a.coordinator, b.coordinator], ['node-a', 'node-b'], 10_000);
      const takeoverMs = Date.now() - killedAt;
      // By its own clock node C let go of every zone (it reports them lost), and never two holders.
      expect(c.coordinator.heldZones()).toEqual([]);
      expect(takeoverMs).toBeLessThan(5000);
      console.log(
        `[cluster] takeover after a node's death, lease and heartbeat ttl 1500 ms: ${takeoverMs} ms`,
      );
    });
  },
);
