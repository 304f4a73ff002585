import { createTestDatabase, databaseUrl, type TestDatabase } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from '../../../mud/test/helpers/mud-client.js';
import { startMud } from '../../../mud/test/helpers/mud-server.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';

/** The node part of the writer token of the stored row (`<node id>:<sequence>`). */
const writerNode = async (store: PostgresStore, name: string) => {
  const [row] = await store.sql<{ writer: string }[]>`SELECT writer FROM characters WHERE username = ${name}`;
  return row?.writer.split(':')[0];
};

const conflictCount = (metrics: string) =>
  Number(/leviathan_db_errors_total\{[^}]*operation="conflict_player"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);

/** The stored room id (the room part of the client's `zone:room` id). */
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
      const fishmarket = ((await onA.walk('e')).id as string).split(':').at(-1);
      // Node A's save of the move has landed...
      await vi.waitFor(async () => expect(await roomOf(check, 'ann')).toBe(fishmarket), {
        timeout: 60_000,
        interval: 100,
      });
      const nodeA = await writerNode(check, 'ann');

      // ...when node B loads the same character, at that version. Now both change it: whichever
      // node saves second holds a stale version, and its save must be refused, not applied.
      const onB = await MudClient.login(b.url, 'ann');
      await onA.walk('w');
      await onB.walk('w');
      let conflictsA = 0;
      let conflictsB = 0;
      await vi.waitFor(
        async () => {
          conflictsA = conflictCount(await a.server.metrics());
          conflictsB = conflictCount(await b.server.metrics());
          expect(conflictsA + conflictsB).toBeGreaterThan(0);
        },
        { timeout: 60_000, interval: 100 },
      );
      // The refused node's save never reached the row: it is the other node's.
      const writer = await writerNode(check, 'ann');
      if (conflictsA > 0) expect(writer).not.toBe(nodeA);
      else expect(writer).toBe(nodeA);
      onA.close();
      onB.close();
    } finally {
      await check.close();
      await Promise.all([a.server.close(), b.server.close()]);
    }
  });
});
