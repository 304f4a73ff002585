import { createTestDatabase, databaseUrl, type TestDatabase } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { MudClient } from '../mud/helpers/mud-client.js';
import { startMud } from '../mud/helpers/mud-server.js';

/** The node part of the writer token of the stored row (`<node id>:<sequence>`). */
const writerNode = async (store: PostgresStore, name: string) => {
  const [row] = await store.sql<{ writer: string }[]>`SELECT writer FROM characters WHERE username = ${name}`;
  return row?.writer.split(':')[0];
};

const roomOf = async (store: PostgresStore, name: string) =>
  ((await store.loadCharacter(name))?.data as { room?: string } | undefined)?.room;

/**
 * Two server nodes on one Postgres, the same character playing on both (what a missing
 * cross-node session lock would allow): the node that saves second from a stale version gets a
 * version conflict, reported in its metrics, and does not overwrite the other node's save.
 */
describe.skipIf(!databaseUrl())('two nodes on one Postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('nodes');
  });
  afterAll(async () => db?.drop());

  it('never silently overwrite each other', { timeout: 120_000 }, async () => {
    const store = { kind: 'postgres', url: db.url };
    // Both nodes run every zone, so their world records conflict too (logged at error level, as
    // they should be): keep the test output quiet.
    const quiet = { level: 'fatal' };
    const a = await startMud({ store, flushIntervalMs: 100, log: quiet });
    const b = await startMud({ store, flushIntervalMs: 100, log: quiet });
    const check = await PostgresStore.open({ url: db.url, migrate: false, maxConnections: 1 });
    try {
      const onA = await MudClient.login(a.url, 'ann');
      await onA.walk('e');
      await vi.waitFor(async () => expect(await roomOf(check, 'ann')).toBeDefined(), {
        timeout: 30_000,
        interval: 100,
      });
      const roomA = await roomOf(check, 'ann');

      // Node B loads the same character at the same version.
      const onB = await MudClient.login(b.url, 'ann');
      // Node A moves on and saves first...
      await onA.walk('w');
      await vi.waitFor(async () => expect(await roomOf(check, 'ann')).not.toBe(roomA), {
        timeout: 30_000,
        interval: 100,
      });
      const nodeA = await writerNode(check, 'ann');
      // ...then node B changes its stale copy: its save must be refused, not applied.
      await onB.walk('w');
      await vi.waitFor(
        async () =>
          expect(await b.server.metrics()).toMatch(
            /leviathan_db_errors_total\{[^}]*operation="conflict"[^}]*\} [1-9]/,
          ),
        { timeout: 30_000, interval: 100 },
      );
      // Every save of the row came from node A; B's stale write was never applied.
      expect(await writerNode(check, 'ann')).toBe(nodeA);
      onA.close();
      onB.close();
    } finally {
      await check.close();
      await Promise.all([a.server.close(), b.server.close()]);
    }
  });
});
