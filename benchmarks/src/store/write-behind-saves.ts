import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmbeddedStore,
  PostgresStore,
  type SaveBatch,
  type Store,
  WriteBehind,
} from '@leviathan/engine/store';
import type { JsonObject } from '@leviathan/protocol';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import type { BenchResult } from './bench-result.js';

export interface SavesOptions {
  /** Players changed in every round (one state batch each). @default 2000 */
  players?: number;
  /** Rounds measured (after one warm-up round). @default 10 */
  rounds?: number;
}

/** A character as the MUD saves it: location, a small inventory, stats. ~300 bytes of JSON. */
const character = (i: number, round: number): JsonObject => ({
  location: { zone: 'coast', room: `room-${(i + round) % 62}` },
  inventory: [
    { id: 'sword', name: 'a rusty sword', weight: 3 },
    { id: 'coin', name: 'a copper coin', count: round },
  ],
  stats: { hp: 20 - (round % 5), mp: 10, xp: i * round, level: 1 + (round % 3) },
});

const batchFor = (players: number, round: number, run: number): SaveBatch => ({
  shard: 0,
  tick: round,
  players: Array.from({ length: players }, (_, i) => ({
    username: `r${run}p${i}`,
    version: round,
    data: character(i, round),
  })),
  world: [],
});

let runs = 0;

/** Saves per second through ingest + flush (versioned, batched UPSERTs). */
async function writeBehindRate(store: Store, players: number, rounds: number): Promise<number> {
  // Fresh names per run: a new write-behind has loaded nothing, so it may only create rows.
  const run = ++runs;
  const wb = new WriteBehind({ store, flushIntervalMs: 60_000 });
  // Warm-up round: creates the rows (the measured rounds are updates, like a running game).
  wb.ingest(batchFor(players, 0, run));
  await wb.flush();
  const batches = Array.from({ length: rounds }, (_, r) => batchFor(players, r + 1, run));
  const start = performance.now();
  for (const b of batches) {
    wb.ingest(b);
    const result = await wb.flush();
    if (result.saved !== players || result.failed)
      throw new Error(`write-behind saved ${result.saved} of ${players}`);
  }
  const seconds = (performance.now() - start) / 1000;
  await wb.close();
  return (players * rounds) / seconds;
}

/** The reference: postgres.js's own bulk insert helper, one multi-row UPSERT per round, no versions. */
async function bareBulkRate(url: string, players: number, rounds: number): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql`CREATE TABLE IF NOT EXISTS bench_bare (username text PRIMARY KEY, data json NOT NULL)`;
  const rowsFor = (round: number) =>
    Array.from({ length: players }, (_, i) => ({
      username: `p${i}`,
      data: JSON.stringify(character(i, round)),
    }));
  const upsert = (rows: ReturnType<typeof rowsFor>) =>
    sql`INSERT INTO bench_bare ${sql(rows, 'username', 'data')}
        ON CONFLICT (username) DO UPDATE SET data = EXCLUDED.data`;
  await upsert(rowsFor(0));
  const all = Array.from({ length: rounds }, (_, r) => rowsFor(r + 1));
  const start = performance.now();
  for (const rows of all) await upsert(rows);
  const seconds = (performance.now() - start) / 1000;
  await sql`DROP TABLE bench_bare`;
  await sql.end();
  return (players * rounds) / seconds;
}

/** The embedded reference: a bare better-sqlite3 prepared UPSERT, one transaction per round. */
function bareSqliteRate(dir: string, players: number, rounds: number): number {
  const db = new Database(join(dir, 'bare.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE bench_bare (username TEXT PRIMARY KEY, data TEXT NOT NULL)');
  const stmt = db.prepare(
    'INSERT INTO bench_bare (username, data) VALUES (?, ?) ON CONFLICT (username) DO UPDATE SET data = excluded.data',
  );
  const round = db.transaction((r: number) => {
    for (let i = 0; i < players; i++) stmt.run(`p${i}`, JSON.stringify(character(i, r)));
  });
  round(0);
  const start = performance.now();
  for (let r = 1; r <= rounds; r++) round(r);
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return (players * rounds) / seconds;
}

const result = (name: string, value: number, reference: number): BenchResult => ({
  name,
  unit: 'saves/s',
  value: Math.round(value),
  reference: Math.round(reference),
  ratio: Number((value / reference).toFixed(3)),
});

/** Player saves per second through the write-behind, Postgres and embedded, each against its bare reference. */
export async function measureSaves(
  url: string | undefined,
  options: SavesOptions = {},
): Promise<BenchResult[]> {
  const players = options.players ?? 2000;
  const rounds = options.rounds ?? 10;
  const results: BenchResult[] = [];
  if (url) {
    const store = await PostgresStore.open({ url });
    try {
      // Interleave reference and subject so drifting machine load hits both alike.
      const ref1 = await bareBulkRate(url, players, rounds);
      const wb1 = await writeBehindRate(store, players, rounds);
      const ref2 = await bareBulkRate(url, players, rounds);
      const wb2 = await writeBehindRate(store, players, rounds);
      results.push(
        result(
          'store: player saves via write-behind (postgres) vs bare postgres.js bulk upsert',
          Math.max(wb1, wb2),
          Math.max(ref1, ref2),
        ),
      );
    } finally {
      await store.close();
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'lev-bench-'));
  try {
    const store = await EmbeddedStore.open({ dataDir: dir });
    const ref = bareSqliteRate(dir, players, rounds);
    const wb = await writeBehindRate(store, players, rounds);
    await store.close();
    results.push(
      result('store: player saves via write-behind (embedded) vs bare better-sqlite3 upsert', wb, ref),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
