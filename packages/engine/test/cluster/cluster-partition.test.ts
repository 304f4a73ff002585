import type { ChildProcess } from 'node:child_process';
import {
  createTestDatabase,
  databaseUrl,
  type LinkProxy,
  redisAvailable,
  startLinkProxy,
  startThrowawayRedis,
  type TestDatabase,
  type ThrowawayRedis,
} from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from '../../../mud/test/helpers/mud-client.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { FLUSH_MS, killAll, LEASE_TTL_MS, settled, startNodeProcess } from './helpers/node-process.js';

/**
 * A partition, with two `leviathan serve` processes on a real Redis and Postgres: node P reaches
 * Redis through a link the test cuts (its packets dropped, its connections left open), node Q
 * directly. While cut off, P runs nothing and serves nobody, Q runs the whole world from what was
 * saved, and no zone has two writers; once the link heals, P rejoins and takes its zones back.
 */
describe.skipIf(!redisAvailable() || !databaseUrl())('a node cut off from the cluster', () => {
  let redis: ThrowawayRedis;
  let db: TestDatabase;
  let link: LinkProxy;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await startThrowawayRedis();
    db = await createTestDatabase('cluster_partition');
    link = await startLinkProxy({ port: redis.port });
  });
  afterAll(async () => {
    await killAll(children);
    await link?.close();
    await redis?.stop();
    await db?.drop();
  });

  it('hands its zones to the others within 5 s, drops its players, and rejoins once healed, each change of hands under a higher fence', async () => {
    // Named so that the placement gives harbor (where players start) to P and cliffs to Q.
    const p = await startNodeProcess({
      name: 'cut-p',
      cluster: 'cut',
      storeUrl: db.url,
      redisUrl: `redis://127.0.0.1:${link.port}`,
    });
    children.push(p.child);
    const q = await startNodeProcess({
      name: 'cut-q',
      cluster: 'cut',
      storeUrl: db.url,
      redisUrl: redis.url,
    });
    children.push(q.child);
    await settled([p, q]);
    expect(p.zones.has('harbor') && q.zones.has('cliffs')).toBe(true);

    // vic (on P) takes the herring in harbor, P's zone; wes (on P) walks to the cliff road, Q's
    // zone; xan (on Q) stands in Fishmarket Square, P's zone.
    const vic = await MudClient.login(p.url, 'vic');
    await vic.walk('e');
    expect((await vic.cmd('get herring')).text).toBe('You take a smoked herring.');
    const wes = await MudClient.login(p.url, 'wes');
    await vi.waitFor(() => wes.walk('e'), { timeout: 10_000, interval: 200 });
    await vi.waitFor(() => wes.walk('e'), { timeout: 10_000, interval: 200 });
    expect((await wes.cmd('look')).text).toContain('The Cliff Road');
    const xan = await MudClient.login(q.url, 'xan');
    const store = await PostgresStore.open({ url: db.url, migrate: false, maxConnections: 1 });
    try {
      await vi.waitFor(
        async () =>
          expect(JSON.stringify((await store.loadCharacter('vic'))?.data ?? {})).toContain('herring'),
        { timeout: 30_000, interval: FLUSH_MS },
      );
      const fenceBefore = await store.zoneFence('harbor');

      const cutAt = performance.now();
      link.cut();
      // Q runs the whole world once P's leases ran out; P, by its own clock, let its zones go.
      await vi.waitFor(() => expect(q.zones.size).toBe(4), { timeout: 10_000, interval: 50 });
      const takeoverMs = performance.now() - cutAt;
      expect(takeoverMs).toBeLessThan(5000);
      await vi.waitFor(() => expect(p.zones.size).toBe(0), { timeout: 10_000 });
      expect(await store.zoneFence('harbor')).toBeGreaterThan(fenceBefore);
      // xan, on Q in harbor, is carried to harbor's new node without a reconnect. P's own players
      // are told to come back (1013) once P cannot log them in anywhere (it is cut off).
      await vi.waitFor(async () => expect((await xan.cmd('look')).text).toContain('Fishmarket'), {
        timeout: 15_000,
        interval: 200,
      });
      expect((await vic.closed).code).toBe(1013);
      expect((await wes.closed).code).toBe(1013);
      await vi.waitFor(() =>
        expect(p.log.some((m) => /^cut off from the cluster's Redis/.test(m))).toBe(true),
      );
      // While cut off, P takes nobody: it cannot take a name or a zone.
      const refused = await MudClient.login(p.url, 'yan').catch((err: Error) => err);
      expect(String(refused)).toMatch(/try again shortly/);

      // The others resume on Q, where the whole world runs, from what P saved before the cut.
      const vicBack = await vi.waitFor(() => MudClient.login(q.url, 'vic', { resume: vic.resumeToken }), {
        timeout: 10_000,
        interval: 200,
      });
      expect((await vicBack.cmd('inventory')).text).toContain('a smoked herring');
      expect((await vicBack.cmd('look')).text).not.toContain('herring');
      const wesBack = await vi.waitFor(() => MudClient.login(q.url, 'wes', { resume: wes.resumeToken }), {
        timeout: 10_000,
        interval: 200,
      });
      expect((await wesBack.cmd('look')).text).toContain('The Cliff Road');

      // The link heals: P rejoins and takes its zones back (saved by Q first), and plays again.
      link.heal();
      await settled([p, q]);
      expect(await store.zoneFence('harbor')).toBeGreaterThan(fenceBefore + 1);
      const zed = await vi.waitFor(() => MudClient.login(p.url, 'zed'), { timeout: 10_000, interval: 200 });
      await zed.walk('e');
      expect((await zed.cmd('look')).text).not.toContain('herring');
      console.info(
        `partition: ${q.name} ran all zones ${Math.round(takeoverMs)} ms after ${p.name} was cut off (ttl ${LEASE_TTL_MS} ms)`,
      );
      for (const c of [vicBack, wesBack, xan, zed]) await c.closeAndWait();
    } finally {
      await store.close();
    }
    for (const n of [p, q]) n.child.kill('SIGTERM');
    await Promise.all([p.exited, q.exited]);
  }, 120_000);
});
