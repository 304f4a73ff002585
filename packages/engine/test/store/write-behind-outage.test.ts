import { databaseUrl, startThrowawayCluster, type ThrowawayCluster } from '@leviathan/test-support';
import postgres from 'postgres';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createStoreMetrics } from '../../src/store/store-metrics.js';
import { WriteBehind } from '../../src/store/write-behind.js';
import type { SaveBatch } from '../../src/store/write-behind-types.js';

const once = <T>(wb: WriteBehind, event: 'recovered' | 'flush-error') =>
  new Promise<T>((resolve) => wb.once(event, (e: unknown) => resolve(e as T)));

/**
 * A database stopped for a while and started again: the game keeps feeding the write-behind,
 * flushes fail and back off, and once Postgres is back every snapshot reaches it.
 */
describe.skipIf(!databaseUrl())('write-behind through a Postgres outage', () => {
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await startThrowawayCluster();
  });
  afterAll(() => cluster?.stop());

  it('loses nothing while the database is down and catches up once it is back', async () => {
    const registry = new Registry();
    const metrics = createStoreMetrics(registry);
    const store = await PostgresStore.open({ url: cluster.url, metrics, connectTimeoutSec: 2 });
    const wb = new WriteBehind({
      store,
      metrics,
      flushIntervalMs: 50,
      retryBaseMs: 50,
      retryMaxMs: 400,
    }).start();
    const players = 200;
    const tickBatch = (tick: number): SaveBatch => ({
      shard: 0,
      tick,
      players: Array.from({ length: players }, (_, i) => ({
        username: `p${i}`,
        version: tick,
        data: { tick, gold: tick * i },
      })),
      world: [
        { key: 'room:dock', version: tick, data: { items: Array.from({ length: tick % 5 }, () => 'coin') } },
      ],
    });
    try {
      wb.ingest(tickBatch(1));
      await wb.flush();
      expect(wb.pending).toBe(0);

      cluster.pause();
      const failed = once<{ attempt: number }>(wb, 'flush-error');
      for (let tick = 2; tick <= 20; tick++) wb.ingest(tickBatch(tick));
      expect((await failed).attempt).toBeGreaterThanOrEqual(1);
      expect(wb.degraded).toBe(true);
      expect(wb.pending).toBe(players + 1);
      // The game goes on meanwhile: more ticks arrive and coalesce, the backlog does not grow.
      for (let tick = 21; tick <= 40; tick++) wb.ingest(tickBatch(tick));
      expect(wb.pending).toBe(players + 1);

      const recovered = once<{ saved: number }>(wb, 'recovered');
      cluster.resume();
      await recovered;
      await wb.flush();
      expect(wb.pending).toBe(0);

      const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
      const rows = await sql<{ username: string; tick: number; gold: number }[]>`
        SELECT username, (data->>'tick')::int AS tick, (data->>'gold')::int AS gold FROM characters`;
      await sql.end();
      expect(rows).toHaveLength(players);
      for (const r of rows) {
        expect(r.tick).toBe(40);
        expect(r.gold).toBe(40 * Number(r.username.slice(1)));
      }
      expect((await store.loadWorld('room:'))[0]?.data).toEqual({ items: [] });
      const errors = await registry.getSingleMetric('leviathan_db_errors_total')?.get();
      expect(errors?.values.some((v) => v.labels.operation === 'save_characters' && v.value > 0)).toBe(true);
    } finally {
      await wb.close(5000);
      await store.close();
    }
  });

  it('isolates a row the database refuses, saves the others, and keeps retrying it', async () => {
    const store = await PostgresStore.open({ url: cluster.url });
    const wb = new WriteBehind({ store, retryBaseMs: 10 });
    try {
      // A real refusal by Postgres for one row only: a constraint this test adds.
      await store.sql`ALTER TABLE world_state ADD CONSTRAINT test_no_poison CHECK (key <> 'poison')`;
      wb.ingest({
        shard: 0,
        tick: 1,
        players: [],
        world: [
          { key: 'ok:1', version: 1, data: { a: 1 } },
          { key: 'poison', version: 1, data: { a: 2 } },
          { key: 'ok:2', version: 1, data: { a: 3 } },
        ],
      });
      const result = await wb.flush();
      expect(result).toMatchObject({ saved: 2, pending: 1, failed: false });
      expect((await store.loadWorld('ok:')).map((r) => r.key)).toEqual(['ok:1', 'ok:2']);
      // Still in the backlog, retried alone; once the database accepts it, it is written.
      await store.sql`ALTER TABLE world_state DROP CONSTRAINT test_no_poison`;
      // The row waits out its own backoff (retryBaseMs 10 → 20 ms) before a flush picks it up.
      await vi.waitFor(async () => expect(await wb.flush()).toMatchObject({ saved: 1, pending: 0 }), {
        timeout: 10_000,
        interval: 20,
      });
      expect(await store.loadWorld('poison')).toHaveLength(1);
    } finally {
      await wb.close(50);
      await store.close();
    }
  });
});
