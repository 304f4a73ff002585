import { databaseUrl, startThrowawayCluster, type ThrowawayCluster } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from '../../../mud/test/helpers/mud-client.js';
import { startMud } from '../../../mud/test/helpers/mud-server.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';

/**
 * "A database outage does not stop the game": Postgres is stopped under a running server; players
 * who are online keep playing (commands answered, state changing), the write-behind backs off with
 * the backlog visible in /metrics, and once Postgres is back the state reaches it.
 */
describe.skipIf(!databaseUrl())('a real server through a Postgres outage', () => {
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await startThrowawayCluster();
  });
  afterAll(() => cluster?.stop());

  it('keeps serving, then saves everything once the database is back', async () => {
    const { server, url } = await startMud({
      store: { kind: 'postgres', url: cluster.url },
      flushIntervalMs: 100,
    });
    const ann = await MudClient.login(url, 'ann');
    try {
      cluster.pause();
      // The game goes on without its database.
      await ann.walk('e');
      expect((await ann.cmd('get herring')).text).toBe('You take a smoked herring.');
      expect((await ann.cmd('inventory')).text).toContain('a smoked herring');
      await vi.waitFor(
        async () => {
          const metrics = await server.metrics();
          expect(metrics).toMatch(/leviathan_db_errors_total\{[^}]*operation="save_characters"[^}]*\} [1-9]/);
          expect(metrics).toMatch(/leviathan_db_pending_dirty(\{[^}]*\})? [1-9]/);
        },
        { timeout: 30_000, interval: 200 },
      );
      // /readyz says the store is not keeping up (the game itself goes on).
      await vi.waitFor(
        async () => {
          const res = await fetch(`http://127.0.0.1:${server.port}/readyz`);
          expect(res.status).toBe(503);
          expect(await res.json()).toMatchObject({ store: false });
        },
        { timeout: 30_000, interval: 200 },
      );

      cluster.resume();
      const store = await PostgresStore.open({ url: cluster.url, migrate: false, maxConnections: 1 });
      try {
        await vi.waitFor(
          async () =>
            expect(JSON.stringify((await store.loadCharacter('ann'))?.data ?? {})).toContain('herring'),
          { timeout: 60_000, interval: 250 },
        );
      } finally {
        await store.close();
      }
      expect((await ann.cmd('look')).text).not.toContain('Fishmarket Square');
      await vi.waitFor(
        async () => expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(200),
        { timeout: 30_000, interval: 200 },
      );
    } finally {
      ann.close();
      await server.close();
    }
  });
});
