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
 * The transaction that last locked or updated a zone's row (the row's xmax, read without taking a
 * lock): it changes from the holder's to a batch's once that batch has taken the row.
 */
async function fenceRowLocker(sql: Sql, zone: string): Promise<string> {
  const [row] = await sql<
    { xmax: string }[]
  >`SELECT xmax::text AS xmax FROM zone_fences WHERE zone = ${zone}`;
  return row?.xmax ?? '';
}

/** Resolves once another transaction than `was` has locked or updated the zone's row. */
async function fenceRowTakenFrom(sql: Sql, zone: string, was: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await fenceRowLocker(sql, zone)) !== was) return;
    await sleep(25);
  }
  throw new Error(`zone ${zone}'s row was never taken from transaction ${was}`);
}

/**
 * Locks a zone's fence row from a transaction of its own (as another node's batch would), until
 * `release` commits that transaction.
 */
async function holdFenceRow(sql: Sql, zone: string): Promise<{ release(): Promise<void> }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const held = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const tx = sql.begin(async (t) => {
    await t`SELECT token FROM zone_fences WHERE zone = ${zone} FOR UPDATE`;
    locked();
    await released;
  });
  await Promise.race([held, tx]);
  return {
    release: async () => {
      release();
      await tx;
    },
  };
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
    raw = postgres(db.url, { max: 4, onnotice: () => {} });
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

  it("locks a batch's zones in zone order, whatever the order of its writes", async () => {
    const [a, b] = [zoneName(), zoneName()].sort() as [string, string];
    await store.claimZoneFence(a, 1);
    await store.claimZoneFence(b, 1);
    const holdB = await holdFenceRow(raw, b);
    let saved: Promise<SaveResult[]> | undefined;
    try {
      // Zone b's write first: the batch still takes a's row, then waits for b's.
      saved = store.saveWorld([
        write(`${b}/x`, 0, { n: 1 }, b, 1, 'n:1'),
        write(`${a}/x`, 0, { n: 1 }, a, 1, 'n:1'),
      ]);
      await lockWaiters(raw, 1);
      const nowait = raw`SELECT token FROM zone_fences WHERE zone = ${a} FOR UPDATE NOWAIT`;
      await expect(nowait).rejects.toMatchObject({ code: '55P03' }); // lock_not_available
    } finally {
      await holdB.release();
    }
    expect(await saved).toEqual([
      { key: `${b}/x`, ok: true, version: 1 },
      { key: `${a}/x`, ok: true, version: 1 },
    ]);
  });

  it('two batches over the same zones in opposite orders do not deadlock', async () => {
    const [a, b] = [zoneName(), zoneName()].sort() as [string, string];
    await store.claimZoneFence(a, 1);
    await store.claimZoneFence(b, 1);
    const other = await PostgresStore.open({ url: db.url, maxConnections: 2, migrate: false });
    const holdA = await holdFenceRow(raw, a);
    const holdB = await holdFenceRow(raw, b);
    let first: Promise<SaveResult[]> | undefined;
    let second: Promise<SaveResult[]> | undefined;
    try {
      // Node 1 writes a then b, node 2 b then a. Locked in the order of the writes, node 1 waits
      // for a and node 2 for b; once a is let go, node 1 takes it and queues for b behind node 2,
      // which takes b when it is let go and then waits for a: a deadlock, and Postgres aborts one
      // of them after deadlock_timeout. Locked in zone order, both wait for a, one behind the other.
      first = store.saveWorld([
        write(`${a}/1`, 0, { n: 1 }, a, 1, 'n1:1'),
        write(`${b}/1`, 0, { n: 1 }, b, 1, 'n1:1'),
      ]);
      await lockWaiters(raw, 1);
      second = other.saveWorld([
        write(`${b}/2`, 0, { n: 2 }, b, 1, 'n2:1'),
        write(`${a}/2`, 0, { n: 2 }, a, 1, 'n2:1'),
      ]);
      await lockWaiters(raw, 2);
      const heldBy = await fenceRowLocker(raw, a);
      await holdA.release();
      // Node 1 has taken a, and waits for b (nothing else is left for it to wait for): b is let go
      // only now, so that it cannot take b before node 2 does when the rows are locked unsorted.
      await fenceRowTakenFrom(raw, a, heldBy);
      await lockWaiters(raw, 2);
    } finally {
      await holdA.release();
      await holdB.release();
    }
    try {
      // Both awaited at once: a deadlock rejects one of them, and that one fails the case.
      expect(await Promise.all([first, second])).toEqual([
        [
          { key: `${a}/1`, ok: true, version: 1 },
          { key: `${b}/1`, ok: true, version: 1 },
        ],
        [
          { key: `${b}/2`, ok: true, version: 1 },
          { key: `${a}/2`, ok: true, version: 1 },
        ],
      ]);
    } finally {
      await other.close();
    }
  });
});
