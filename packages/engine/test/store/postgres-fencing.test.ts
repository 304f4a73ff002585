import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, databaseUrl, type TestDatabase } from '@leviathan/test-support';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { SaveResult, VersionedWrite } from '../../src/store/store.js';

const write = (
  key: string,
  expectedVersion: number,
  data: object,
  zone: string,
  token: number,
  writer: string,
): VersionedWrite => ({
  key,
  expectedVersion,
  data: data as VersionedWrite['data'],
  writer,
  fence: { zone, token },
});

/**
 * Resolves once `n` backends of this database wait for a lock. The cases below hold a row lock in
 * a transaction of their own and let the store's calls queue behind it, so what they check does
 * not depend on which of two racing calls the scheduler happens to run first (the race itself is
 * run many times in the contract, fencing-contract.ts).
 */
async function lockWaiters(sql: Sql, n: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const [row] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if ((row?.n ?? 0) >= n) return;
    await sleep(25);
  }
  throw new Error(`never saw ${n} backends waiting for a lock`);
}

/**
 * Postgres only: a fenced batch reads its zone's token with the zone's row locked, and keeps the
 * lock until it commits. A token-4 write can therefore never land after token 5 was accepted: it
 * either commits first (and the newer owner waits for it) or it sees 5 and is refused.
 */
describe.skipIf(!databaseUrl())('postgres fencing under concurrent owners', () => {
  let db: TestDatabase;
  let store: PostgresStore;
  let raw: Sql;
  let n = 0;
  const zoneName = () => `zone${++n}`;

  beforeAll(async () => {
    db = await createTestDatabase('fencing');
    store = await PostgresStore.open({ url: db.url, maxConnections: 4 });
    raw = postgres(db.url, { max: 3, onnotice: () => {} });
  });
  afterAll(async () => {
    await raw?.end({ timeout: 1 });
    await store?.close();
    await db?.drop();
  });

  it("a stale save waiting for the zone's row is judged by the token committed meanwhile", async () => {
    const zone = zoneName();
    const k = `${zone}/chest`;
    await store.saveWorld([write(k, 0, { by: 'old' }, zone, 4, 'old:1')]);
    let stale: Promise<SaveResult[]> | undefined;
    await raw.begin(async (tx) => {
      await tx`SELECT token FROM zone_fences WHERE zone = ${zone} FOR UPDATE`;
      stale = store.saveWorld([write(k, 1, { by: 'old', late: true }, zone, 4, 'old:2')]);
      await lockWaiters(raw, 1);
      // Another owner's token is accepted while the stale save waits.
      await tx`UPDATE zone_fences SET token = 5 WHERE zone = ${zone}`;
    });
    expect(await stale).toEqual([{ key: k, ok: false, fenced: true, currentToken: 5 }]);
    expect(await store.loadWorld(k)).toEqual([{ key: k, version: 1, data: { by: 'old' } }]);
  });

  it('a newer claim waits until a stale batch that locked the zone first has committed', async () => {
    const zone = zoneName();
    const k = `${zone}/door`;
    await store.saveWorld([write(k, 0, { open: false }, zone, 4, 'old:1')]);
    let stale: Promise<SaveResult[]> | undefined;
    let claim: Promise<number> | undefined;
    await raw.begin(async (tx) => {
      // Hold the entity's row: the stale batch records its token (locking the zone's row), then
      // stops at its write.
      await tx`SELECT version FROM world_state WHERE key = ${k} FOR UPDATE`;
      stale = store.saveWorld([write(k, 1, { open: true }, zone, 4, 'old:2')]);
      await lockWaiters(raw, 1);
      claim = store.claimZoneFence(zone, 5);
      // The claim queues behind the stale batch's lock on the zone's row: both wait now.
      await lockWaiters(raw, 2);
    });
    // The stale write committed before the claim could record 5, so accepting it was right...
    expect(await stale).toEqual([{ key: k, ok: true, version: 2 }]);
    expect(await claim).toBe(5);
    // ...and from then on token 4 is refused.
    expect(await store.saveWorld([write(k, 2, { open: false }, zone, 4, 'old:3')])).toEqual([
      { key: k, ok: false, fenced: true, currentToken: 5 },
    ]);
    expect(await store.zoneFence(zone)).toBe(5);
  });
});
