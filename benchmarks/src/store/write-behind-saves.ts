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
import { medianPair } from '../harness/interleave.js';
import type { BenchResult } from './bench-result.js';
import { clusterCpuNs, processCpuNs } from './cluster-cpu.js';

export interface SavesOptions {
  /** Players saved in every round (one state batch, one flush). @default 2000 */
  players?: number;
  /** Measured (reference round, subject round) pairs per store, after the warm-up rounds. Odd. @default 41 */
  pairs?: number;
  /**
   * Data directory of a throwaway Postgres cluster this benchmark started: its autovacuum is turned
   * off (the benchmark vacuums both tables every few rounds instead, untimed) and its processes'
   * CPU is read (cluster-cpu.ts). Without it, the CPU figure of the Postgres store is not produced.
   */
  clusterDataDir?: string;
}

/** Rounds of each side before the measured ones: the first creates the rows, the others warm up. */
const WARM_UP_ROUNDS = 4;
/** Both tables are vacuumed (untimed) after this many measured pairs, so dead rows stay few. */
const TIDY_EVERY = 10;

/** One measured round of one side: wall-clock rate, and CPU per save of client and server. */
interface Saves {
  perSecond: number;
  cpuNsPerSave: number;
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

const characters = (players: number, round: number): JsonObject[] =>
  Array.from({ length: players }, (_, i) => character(i, round));

/**
 * One side of a comparison. `prepare(round)` builds that round's input, untimed, and returns the
 * timed work: save every player once more. `tidy` runs untimed every TIDY_EVERY pairs.
 */
interface SaveSide {
  prepare(round: number): () => unknown;
  tidy?(): Promise<void>;
}

/**
 * The subject: the engine's write-behind (ingest of one state batch, then a flush: versioned,
 * batched UPSERTs) over `store`. Round 0 creates the rows (a new write-behind has loaded
 * nothing), later rounds update them, as in a running game.
 */
function writeBehindSide(store: Store, players: number): SaveSide & { close(): Promise<void> } {
  const wb = new WriteBehind({ store, flushIntervalMs: 3_600_000 });
  return {
    prepare(round) {
      const data = characters(players, round);
      const batch: SaveBatch = {
        shard: 0,
        tick: round,
        players: data.map((d, i) => ({ username: `wb${i}`, version: round, data: d })),
        world: [],
      };
      return async () => {
        wb.ingest(batch);
        const result = await wb.flush();
        if (result.saved !== players || result.failed)
          throw new Error(`write-behind saved ${result.saved} of ${players}`);
      };
    },
    close: async () => {
      await wb.close();
    },
  };
}

/**
 * Rounds of the reference and the subject alternate one by one (reference first in even pairs,
 * subject first in odd ones), each round timed on its own: both sides of a pair run within a few
 * tens of milliseconds of each other, so a change of the machine's load hits both, and the pair
 * with the median ratio decides the figure (harness/interleave.ts).
 */
async function pairedRounds(
  reference: SaveSide,
  subject: SaveSide,
  o: SavesSettings,
  serverCpuNs: () => number,
): Promise<Array<{ reference: Saves; subject: Saves }>> {
  const measure = async (side: SaveSide, round: number): Promise<Saves> => {
    const work = side.prepare(round);
    const t0 = performance.now();
    const c0 = processCpuNs() + serverCpuNs();
    await work();
    const cpuNs = processCpuNs() + serverCpuNs() - c0;
    const seconds = (performance.now() - t0) / 1000;
    return { perSecond: o.players / seconds, cpuNsPerSave: cpuNs / o.players };
  };
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    await measure(reference, round);
    await measure(subject, round);
  }
  const pairs: Array<{ reference: Saves; subject: Saves }> = [];
  for (let k = 0; k < o.pairs; k++) {
    const round = WARM_UP_ROUNDS + k;
    if (k % 2 === 0) {
      const r = await measure(reference, round);
      pairs.push({ reference: r, subject: await measure(subject, round) });
    } else {
      const s = await measure(subject, round);
      pairs.push({ reference: await measure(reference, round), subject: s });
    }
    if ((k + 1) % TIDY_EVERY === 0) {
      await reference.tidy?.();
      await subject.tidy?.();
    }
  }
  return pairs;
}

/** The two figures of one store: CPU per save (the gate) and saves per second (informational). */
function figures(
  store: string,
  reference: string,
  pairs: ReadonlyArray<{ reference: Saves; subject: Saves }>,
  cpu: boolean,
): BenchResult[] {
  const rate = medianPair(
    pairs.map((p) => ({ reference: p.reference.perSecond, subject: p.subject.perSecond })),
    'saves/s',
  );
  const results: BenchResult[] = [];
  if (cpu) {
    const perSave = medianPair(
      pairs.map((p) => ({
        reference: p.reference.cpuNsPerSave / 1000,
        subject: p.subject.cpuNsPerSave / 1000,
      })),
      'µs/save',
    );
    results.push({
      name: `store: CPU per player save via write-behind (${store}) vs ${reference}`,
      unit: 'µs/save',
      value: perSave.value,
      reference: perSave.reference,
      ratio: perSave.ratio,
    });
  }
  results.push({
    name: `store: player saves via write-behind (${store}) vs ${reference}`,
    unit: 'saves/s',
    value: Math.round(rate.value),
    reference: Math.round(rate.reference),
    ratio: rate.ratio,
    gate: 'info',
    gateReason: cpu
      ? 'wall-clock saves per second move with whatever else the 2 cores run (client, server and other work share them): the CPU per save is the gate.'
      : "wall-clock saves per second move with whatever else the machine runs; the Postgres server is not this benchmark's own, so its CPU cannot be read.",
  });
  return results;
}

/**
 * Write-behind into Postgres against postgres.js's own bulk insert helper: one multi-row UPSERT
 * per round, no versions (JSON.stringify of each character is timed on both sides: both must do it).
 */
async function postgresSaves(url: string, o: SavesSettings): Promise<BenchResult[]> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const store = await PostgresStore.open({ url });
  const subject = writeBehindSide(store, o.players);
  const dataDir = o.clusterDataDir;
  const serverCpu = dataDir === undefined ? undefined : () => clusterCpuNs(dataDir) ?? Number.NaN;
  try {
    if (dataDir !== undefined) {
      await admin`ALTER SYSTEM SET autovacuum = off`;
      await admin`SELECT pg_reload_conf()`;
    }
    await admin`DROP TABLE IF EXISTS bench_bare`;
    await admin`CREATE TABLE bench_bare (username text PRIMARY KEY, data json NOT NULL)`;
    await admin`DELETE FROM characters WHERE username LIKE 'wb%'`;
    const reference: SaveSide = {
      prepare(round) {
        const data = characters(o.players, round);
        return () =>
          admin`INSERT INTO bench_bare ${admin(
            data.map((d, i) => ({ username: `p${i}`, data: JSON.stringify(d) })),
            'username',
            'data',
          )} ON CONFLICT (username) DO UPDATE SET data = EXCLUDED.data`;
      },
      tidy: async () => {
        await admin`VACUUM bench_bare`;
        await admin`VACUUM characters`;
      },
    };
    const pairs = await pairedRounds(reference, subject, o, serverCpu ?? (() => 0));
    await admin`DROP TABLE bench_bare`;
    await admin`DELETE FROM characters WHERE username LIKE 'wb%'`;
    const cpu = serverCpu !== undefined && Number.isFinite(serverCpu());
    return figures('postgres', 'bare postgres.js bulk upsert', pairs, cpu);
  } finally {
    await subject.close();
    await store.close();
    await admin.end();
  }
}

/** Write-behind into the embedded store against a bare better-sqlite3 prepared UPSERT, one transaction per round. */
async function embeddedSaves(o: SavesSettings): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lev-bench-'));
  const db = new Database(join(dir, 'bare.sqlite'));
  const store = await EmbeddedStore.open({ dataDir: join(dir, 'store') });
  const subject = writeBehindSide(store, o.players);
  try {
    // The embedded store's own settings: WAL, synchronous NORMAL.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE bench_bare (username TEXT PRIMARY KEY, data TEXT NOT NULL)');
    const stmt = db.prepare(
      'INSERT INTO bench_bare (username, data) VALUES (?, ?) ON CONFLICT (username) DO UPDATE SET data = excluded.data',
    );
    const saveAll = db.transaction((data: JsonObject[]) => {
      for (let i = 0; i < data.length; i++) stmt.run(`p${i}`, JSON.stringify(data[i]));
    });
    const reference: SaveSide = {
      prepare(round) {
        const data = characters(o.players, round);
        return () => saveAll(data);
      },
    };
    return figures(
      'embedded',
      'bare better-sqlite3 upsert',
      await pairedRounds(reference, subject, o, () => 0),
      true,
    );
  } finally {
    await subject.close();
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type SavesSettings = Required<Omit<SavesOptions, 'clusterDataDir'>> & Pick<SavesOptions, 'clusterDataDir'>;

/** Player saves through the write-behind, Postgres and embedded, each against its bare reference. */
export async function measureSaves(
  url: string | undefined,
  options: SavesOptions = {},
): Promise<BenchResult[]> {
  const o: SavesSettings = {
    players: options.players ?? 2000,
    pairs: options.pairs ?? 41,
    ...(options.clusterDataDir === undefined ? {} : { clusterDataDir: options.clusterDataDir }),
  };
  return [...(url ? await postgresSaves(url, o) : []), ...(await embeddedSaves(o))];
}
