import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedStore } from './embedded/embedded-store.js';
import { createStoreMetrics, type StoreMetrics } from './store-metrics.js';
import { WriteBehind } from './write-behind.js';
import type { ConflictEvent, SaveBatch } from './write-behind-types.js';

const batch = (
  players: Array<[string, number, object]>,
  world: Array<[string, number, object]> = [],
): SaveBatch => ({
  shard: 0,
  tick: 1,
  players: players.map(([username, version, data]) => ({ username, version, data: data as never })),
  world: world.map(([key, version, data]) => ({ key, version, data: data as never })),
});

const metricValue = async (registry: Registry, name: string, labels: Record<string, string> = {}) => {
  const metric = await registry.getSingleMetric(name)?.get();
  const hit = metric?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return hit?.value ?? 0;
};

describe('WriteBehind (on the embedded store)', () => {
  let dir: string;
  let store: EmbeddedStore;
  let registry: Registry;
  let metrics: StoreMetrics;
  const open: WriteBehind[] = [];
  const make = (opts: Partial<ConstructorParameters<typeof WriteBehind>[0]> = {}) => {
    const wb = new WriteBehind({ store, metrics, flushIntervalMs: 60_000, retryBaseMs: 10, ...opts });
    open.push(wb);
    return wb;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lev-wb-'));
    store = await EmbeddedStore.open({ dataDir: dir });
    registry = new Registry();
    metrics = createStoreMetrics(registry);
  });
  afterEach(async () => {
    for (const wb of open.splice(0)) await wb.close(100);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('coalesces many snapshots of one entity into one write of the latest', async () => {
    const wb = make();
    wb.ingest(batch([['ann', 1, { room: 'a' }]]));
    wb.ingest(
      batch([
        ['ann', 2, { room: 'b' }],
        ['bo', 1, { room: 'x' }],
      ]),
    );
    wb.ingest(batch([['ann', 3, { room: 'c' }]], [['room:a', 1, { items: ['coin'] }]]));
    expect(wb.pending).toBe(3);
    expect(await metricValue(registry, 'leviathan_db_pending_dirty')).toBe(3);
    const result = await wb.flush();
    expect(result).toEqual({ saved: 3, pending: 0, failed: false });
    expect(await store.loadCharacter('ann')).toEqual({ key: 'ann', version: 1, data: { room: 'c' } });
    expect(await store.loadWorld('room:')).toEqual([
      { key: 'room:a', version: 1, data: { items: ['coin'] } },
    ]);
    const hist = await registry.getSingleMetric('leviathan_db_flush_batch_size')?.get();
    expect(
      hist?.values.find(
        (v) => (v as { metricName?: string }).metricName === 'leviathan_db_flush_batch_size_sum',
      )?.value,
    ).toBe(3);
    // Later saves expect the version the last flush wrote.
    wb.ingest(batch([['ann', 4, { room: 'd' }]]));
    await wb.flush();
    expect(await store.loadCharacter('ann')).toMatchObject({ version: 2, data: { room: 'd' } });
  });

  it('ignores a snapshot older than the one it holds (out of order after a handoff)', async () => {
    const wb = make();
    wb.ingest(batch([['cy', 5, { hp: 5 }]]));
    wb.ingest(batch([['cy', 4, { hp: 4 }]]));
    await wb.flush();
    expect((await store.loadCharacter('cy'))?.data).toEqual({ hp: 5 });
  });

  it('flushes on its interval', async () => {
    const wb = make({ flushIntervalMs: 20 }).start();
    wb.ingest(batch([['di', 1, { a: 1 }]]));
    await vi.waitFor(async () => expect(await store.loadCharacter('di')).toBeDefined(), {
      timeout: 10_000,
      interval: 20,
    });
    expect(wb.pending).toBe(0);
  });

  it('writes in batches of maxBatchSize', async () => {
    const wb = make({ maxBatchSize: 7 });
    wb.ingest(batch(Array.from({ length: 50 }, (_, i): [string, number, object] => [`p${i}`, 1, { i }])));
    expect(await wb.flush()).toMatchObject({ saved: 50, pending: 0 });
    expect((await store.loadCharacter('p49'))?.data).toEqual({ i: 49 });
  });

  it('returns a waiting snapshot to a player who logs in again before the flush, then the database copy', async () => {
    const wb = make();
    expect(await wb.loadPlayer('eve')).toBeUndefined();
    wb.ingest(batch([['eve', 1, { room: 'dock' }]]));
    expect(await wb.loadPlayer('eve')).toEqual({ version: 1, data: { room: 'dock' } });
    await wb.flush();
    expect(await wb.loadPlayer('eve')).toEqual({ version: 1, data: { room: 'dock' } });
  });

  it('saves a player on logout and forgets it', async () => {
    const wb = make();
    await wb.loadPlayer('fay');
    wb.ingest(
      batch([
        ['fay', 1, { gold: 1 }],
        ['gil', 1, { gold: 2 }],
      ]),
    );
    expect(await wb.flushPlayer('fay')).toBe(true);
    expect((await store.loadCharacter('fay'))?.data).toEqual({ gold: 1 });
    expect(await store.loadCharacter('gil')).toBeUndefined();
    expect(wb.pending).toBe(1);
    expect(await wb.flushPlayer('nobody')).toBe(true);
  });

  it('saves a player who logs in again from the server cache after a logout released it (regression: false conflict)', async () => {
    const wb = make();
    const conflicts: ConflictEvent[] = [];
    wb.on('conflict', (e) => conflicts.push(e));
    await wb.loadPlayer('vera');
    wb.ingest(batch([['vera', 1, { room: 'a' }]]));
    expect(await wb.flushPlayer('vera')).toBe(true);
    // Back from the server's StateCache: no loadPlayer, so the write-behind starts from scratch.
    wb.ingest(batch([['vera', 2, { room: 'b' }]]));
    expect(await wb.flush()).toMatchObject({ saved: 1, pending: 0 });
    expect(conflicts).toEqual([]);
    expect(await store.loadCharacter('vera')).toMatchObject({ version: 2, data: { room: 'b' } });
    expect(wb.pending).toBe(0);
  });

  it('never overwrites another node: a conflict is reported loudly and the other data stays', async () => {
    const a = make({ nodeId: 'a' });
    const b = make({ nodeId: 'b' });
    await a.loadPlayer('hal');
    await b.loadPlayer('hal');
    a.ingest(batch([['hal', 1, { by: 'a' }]]));
    await a.flush();
    const conflicts: ConflictEvent[] = [];
    b.on('conflict', (e) => conflicts.push(e));
    b.ingest(batch([['hal', 1, { by: 'b' }]]));
    await b.flush();
    expect(conflicts).toEqual([
      { kind: 'player', key: 'hal', expectedVersion: 0, currentVersion: 1, data: { by: 'b' } },
    ]);
    expect((await store.loadCharacter('hal'))?.data).toEqual({ by: 'a' });
    expect(await metricValue(registry, 'leviathan_db_errors_total', { operation: 'conflict_player' })).toBe(
      1,
    );
    // Not retried: the conflicting snapshot is out of the backlog, later ones are refused.
    b.ingest(batch([['hal', 2, { by: 'b2' }]]));
    expect(b.pending).toBe(0);
    // Loading again clears the conflict and saves resume from the current version.
    expect(await b.loadPlayer('hal')).toEqual({ version: 1, data: { by: 'a' } });
    b.ingest(batch([['hal', 2, { by: 'b3' }]]));
    await b.flush();
    expect(await store.loadCharacter('hal')).toMatchObject({ version: 2, data: { by: 'b3' } });
  });

  it('refuses new entities at the backlog bound, loudly, and keeps updating the ones it holds', async () => {
    const wb = make({ maxPendingEntities: 2 });
    const refused: string[][] = [];
    wb.on('backlog-full', (e) => refused.push(e.keys));
    wb.ingest(
      batch([
        ['i1', 1, { v: 1 }],
        ['i2', 1, { v: 1 }],
        ['i3', 1, { v: 1 }],
      ]),
    );
    expect(refused).toEqual([['i3']]);
    expect(wb.saturated).toBe(true);
    wb.ingest(batch([['i1', 2, { v: 2 }]]));
    expect(await metricValue(registry, 'leviathan_db_errors_total', { operation: 'backlog_full' })).toBe(1);
    await wb.flush();
    expect(wb.saturated).toBe(false);
    expect((await store.loadCharacter('i1'))?.data).toEqual({ v: 2 });
    expect(await store.loadCharacter('i3')).toBeUndefined();
  });

  it('flushes everything on close', async () => {
    const wb = make();
    wb.ingest(batch([['jo', 1, { a: 1 }]], [['door:x', 1, { open: true }]]));
    expect(await wb.close()).toEqual({ unsaved: 0 });
    expect(await store.loadCharacter('jo')).toBeDefined();
    expect(await store.loadWorld('door:')).toHaveLength(1);
  });

  it('keeps the backlog through a failing store and writes it all once the store answers', async () => {
    const wb = make();
    wb.ingest(batch([['kim', 1, { a: 1 }]]));
    const errors: number[] = [];
    wb.on('flush-error', (e) => errors.push(e.attempt));
    await store.close(); // every call now fails with StoreUnavailableError
    expect(await wb.flush()).toMatchObject({ failed: true, pending: 1 });
    expect(wb.degraded).toBe(true);
    expect(errors).toEqual([1]);
    wb.ingest(batch([['kim', 2, { a: 2 }]]));
    expect(await wb.flush()).toMatchObject({ failed: true, pending: 1 });
    expect(errors).toEqual([1, 2]);
    expect(await wb.loadPlayer('kim')).toEqual({ version: 2, data: { a: 2 } });
    // The Postgres outage test (test/store/write-behind-outage.test.ts) covers the way back.
  });
  it('does not try a logout save while the database is known to be down: it waits in the backlog', async () => {
    const wb = make({ retryBaseMs: 60_000 });
    wb.ingest(
      batch([
        ['lou', 1, { a: 1 }],
        ['max', 1, { b: 1 }],
      ]),
    );
    const saves = vi.spyOn(store, 'saveCharacters');
    await store.close();
    // The first logout tries, fails and starts the backoff; the next one does not try.
    expect(await wb.flushPlayer('lou')).toBe(false);
    expect(wb.degraded).toBe(true);
    expect(saves).toHaveBeenCalledTimes(1);
    expect(await wb.flushPlayer('max')).toBe(false);
    expect(saves).toHaveBeenCalledTimes(1);
    expect(wb.pending).toBe(2);
    // Closing tries again at once, whatever the backoff.
    expect(await wb.close(50)).toEqual({ unsaved: 2 });
    expect(saves.mock.calls.length).toBeGreaterThan(1);
  });
  it('drops a save the store refuses as fenced (another node leases the zone now) and counts it', async () => {
    // Zone of a world key is its prefix before '/'; both nodes fence by their own lease token.
    const fenceUnder = (token: () => number) => (_kind: string, key: string) => ({
      zone: key.slice(0, key.indexOf('/')),
      token: token(),
    });
    const warnings: object[] = [];
    const logger = {
      info() {},
      warn(obj: object | string) {
        if (typeof obj === 'object') {
          const { key, token, currentToken, code } = obj as Record<string, unknown>;
          warnings.push({ key, token, currentToken, code });
        }
      },
      error() {},
    };
    const oldOwner = make({ nodeId: 'old', fenceOf: fenceUnder(() => 1), logger });
    const conflicts: ConflictEvent[] = [];
    oldOwner.on('conflict', (e) => conflicts.push(e));
    const newOwner = make({ nodeId: 'new', fenceOf: fenceUnder(() => 2) });
    oldOwner.ingest(batch([], [['harbour/chest', 1, { gold: 1 }]]));
    expect(await oldOwner.flush()).toMatchObject({ saved: 1 });
    // The zone moved: the new owner loaded version 1 and saves under token 2.
    newOwner.track('world', 'harbour/chest', 1);
    newOwner.ingest(batch([], [['harbour/chest', 1, { gold: 99 }]]));
    expect(await newOwner.flush()).toMatchObject({ saved: 1 });
    // The old owner, paused through all that, flushes its stale state under token 1: the chest it
    // knew, and a barrel it made meanwhile (new, so no version could stop it; only the fence does).
    oldOwner.ingest(
      batch(
        [],
        [
          ['harbour/chest', 2, { gold: 0 }],
          ['harbour/barrel', 1, { rum: 1 }],
        ],
      ),
    );
    expect(await oldOwner.flush()).toEqual({ saved: 0, pending: 0, failed: false });
    expect(await store.loadWorld('harbour/')).toEqual([
      { key: 'harbour/chest', version: 2, data: { gold: 99 } },
    ]);
    expect(await metricValue(registry, 'leviathan_db_errors_total', { operation: 'fenced_world' })).toBe(2);
    // One warning per dropped entry, and no conflict event: nothing is to be reloaded on this node.
    expect(warnings).toEqual([
      { key: 'harbour/chest', token: 1, currentToken: 2, code: 'LEV_ERR_CLUSTER_LEASE_LOST' },
      { key: 'harbour/barrel', token: 1, currentToken: 2, code: 'LEV_ERR_CLUSTER_LEASE_LOST' },
    ]);
    expect(conflicts).toEqual([]);
    // Dropped, not retried.
    expect(await oldOwner.flush()).toEqual({ saved: 0, pending: 0, failed: false });
    expect(await metricValue(registry, 'leviathan_db_errors_total', { operation: 'fenced_world' })).toBe(2);
    expect(warnings).toHaveLength(2);
  });
});
