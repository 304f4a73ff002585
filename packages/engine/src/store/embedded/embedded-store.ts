import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JsonObject } from '@leviathan/protocol';
import {
  StoreConfigError,
  StoreDuplicateError,
  StoreError,
  StoreQueryError,
  StoreUnavailableError,
} from '../../errors.js';
import type {
  AccountRecord,
  NewAccount,
  PoolStats,
  SaveResult,
  SessionRecord,
  Store,
  VersionedRecord,
  VersionedWrite,
} from '../store.js';
import { type StoreMetrics, timed } from '../store-metrics.js';
import { checkFence, checkWrites, checkZone } from '../store-validation.js';
import { loadSqliteDriver } from './load-sqlite-driver.js';
import {
  type SqliteDatabase,
  type SqliteDriverName,
  type SqliteDriverPreference,
  type SqliteStatement,
  sqliteErrorCode,
} from './sqlite-driver.js';
import { migrateSqlite } from './sqlite-migrator.js';

export interface EmbeddedStoreOptions {
  /** Directory of the database file `leviathan.sqlite` (created if missing). @default './data' */
  dataDir?: string;
  metrics?: StoreMetrics;
  /**
   * The SQLite binding: `auto` takes better-sqlite3 when it is installed and loads, else Node's
   * built-in `node:sqlite` (Node 22.13+, 24). @default 'auto'
   */
  driver?: SqliteDriverPreference;
}

/** The file name inside `dataDir`. WAL mode adds `-wal` and `-shm` files beside it. */
export const EMBEDDED_FILE = 'leviathan.sqlite';

/**
 * The embedded default: SQLite on a file under `dataDir`, in WAL mode, through better-sqlite3 or
 * Node's built-in `node:sqlite` (see load-sqlite-driver.ts for which and why).
 *
 * Why SQLite: it opens and migrates in milliseconds and adds a few MB (PGlite took ~4 s and
 * ~900 MB here). Measured on this machine (2 shared cores, Node 20.20; run
 * benchmarks/src/store/embedded-footprint.ts): cold open + migrate of a new data directory ≈ 60 ms
 * (budget 1 s), RSS added by open + 1000 character saves ≈ 4 MB (budget 50 MB).
 *
 * Threading: both bindings are synchronous. It runs in the main thread, called by the write-behind
 * and the login path, never by a shard: no tick runs on the main thread, and players' input and
 * output go gateway ⇄ shard directly, not through it. A flush costs ≈ 28 µs per character here
 * (≈ 35k saves/s through the write-behind, benchmarks/src/store/), so the write-behind writes in
 * chunks of `maxBatchSize` and yields between them; a worker thread would add a structured clone
 * of every batch and a second copy of the backlog for no gain at these rates. Past ~10k dirty
 * characters per second, move the store to a worker (or use Postgres).
 *
 * Durability: `synchronous = NORMAL` in WAL mode survives a process crash (`kill -9`): every
 * committed transaction is in the WAL, handed to the OS. Only a power loss can drop the last
 * commits; set `PRAGMA synchronous = FULL` yourself if that matters more than write speed.
 */
export class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  readonly file: string;
  /** The SQLite binding in use. */
  readonly driver: SqliteDriverName;
  readonly #db: SqliteDatabase;
  readonly #metrics: StoreMetrics | undefined;
  readonly #stmts: ReturnType<typeof prepare>;
  #closed = false;

  private constructor(
    db: SqliteDatabase,
    driver: SqliteDriverName,
    file: string,
    metrics: StoreMetrics | undefined,
  ) {
    this.#db = db;
    this.driver = driver;
    this.file = file;
    this.#metrics = metrics;
    this.#stmts = prepare(db);
  }

  /** Opens (creating the directory and file if needed) and migrates. */
  static async open(options: EmbeddedStoreOptions = {}): Promise<EmbeddedStore> {
    const dir = resolve(options.dataDir ?? './data');
    const driver = await loadSqliteDriver(options.driver);
    let db: SqliteDatabase;
    try {
      mkdirSync(dir, { recursive: true });
      // Busy timeout 1 s: the calls run on the main thread, so waiting for another process's write
      // lock must stay short; past it, SQLITE_BUSY is an outage the write-behind retries.
      db = driver.open(join(dir, EMBEDDED_FILE), 1000);
    } catch (cause) {
      throw new StoreConfigError(`cannot open the embedded store in ${dir}: ${(cause as Error).message}`, {
        cause,
      });
    }
    try {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec('PRAGMA foreign_keys = ON');
      await timed(options.metrics, 'migrate', async () => migrateSqlite(db));
    } catch (error) {
      db.close();
      throw error;
    }
    return new EmbeddedStore(db, driver.name, join(dir, EMBEDDED_FILE), options.metrics);
  }

  async createAccount(account: NewAccount): Promise<AccountRecord> {
    return this.#run('create_account', () => {
      const createdAt = Date.now();
      try {
        this.#stmts.createAccount.run(
          account.username,
          account.passwordHash,
          JSON.stringify(account.roles),
          createdAt,
        );
      } catch (error) {
        if (sqliteErrorCode(error).startsWith('SQLITE_CONSTRAINT')) {
          throw new StoreDuplicateError(`account ${account.username} already exists`, { cause: error });
        }
        throw error;
      }
      return {
        username: account.username,
        passwordHash: account.passwordHash,
        roles: [...account.roles],
        createdAt: new Date(createdAt),
      };
    });
  }

  async findAccount(username: string): Promise<AccountRecord | undefined> {
    return this.#run('find_account', () => {
      const row = this.#stmts.findAccount.get(username);
      return (
        row && {
          username: row.username,
          passwordHash: row.password_hash,
          roles: JSON.parse(row.roles) as string[],
          createdAt: new Date(row.created_at),
        }
      );
    });
  }

  async createSession(session: SessionRecord): Promise<void> {
    await this.#run('create_session', () => {
      this.#stmts.createSession.run(session.tokenHash, session.username, session.expiresAt.getTime());
    });
  }

  async findSession(tokenHash: string, now: Date): Promise<SessionRecord | undefined> {
    return this.#run('find_session', () => {
      const row = this.#stmts.findSession.get(tokenHash, now.getTime());
      return (
        row && { tokenHash: row.token_hash, username: row.username, expiresAt: new Date(row.expires_at) }
      );
    });
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.#run('delete_session', () => {
      this.#stmts.deleteSession.run(tokenHash);
    });
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    return this.#run('delete_expired_sessions', () =>
      Number(this.#stmts.deleteExpiredSessions.run(now.getTime()).changes),
    );
  }

  async loadCharacter(username: string): Promise<VersionedRecord | undefined> {
    return this.#run('load_character', () => {
      const row = this.#stmts.characters.load.get(username);
      return row && { key: row.key, version: row.version, data: JSON.parse(row.data) as JsonObject };
    });
  }

  async loadWorld(prefix: string): Promise<VersionedRecord[]> {
    return this.#run('load_world', () =>
      this.#stmts.loadWorld
        .all(prefix, prefix)
        .map((r) => ({ key: r.key, version: r.version, data: JSON.parse(r.data) as JsonObject })),
    );
  }

  async saveCharacters(writes: readonly VersionedWrite[]): Promise<SaveResult[]> {
    return this.#save('save_characters', this.#stmts.characters, writes);
  }

  async saveWorld(writes: readonly VersionedWrite[]): Promise<SaveResult[]> {
    return this.#save('save_world', this.#stmts.world, writes);
  }

  #save(
    operation: string,
    stmts: TableStatements,
    writes: readonly VersionedWrite[],
  ): SaveResult[] | Promise<SaveResult[]> {
    checkWrites(writes);
    if (writes.length === 0) return [];
    return this.#run(operation, () => {
      const now = Date.now();
      // One transaction per batch: ~100x faster than autocommit per row in SQLite (one WAL sync).
      return this.#db.transaction((): SaveResult[] => {
        const fences = this.#raiseFences(writes, now);
        return writes.map((w): SaveResult => {
          const fence = w.fence === undefined ? 0 : (fences.get(w.fence.zone) ?? 0);
          if (w.fence !== undefined && w.fence.token < fence)
            return { key: w.key, ok: false, fenced: true, currentToken: fence };
          const version = w.expectedVersion + 1;
          if (Number(stmts.upsert.run(w.key, version, JSON.stringify(w.data), w.writer, now).changes) === 1) {
            return { key: w.key, ok: true, version };
          }
          const row = stmts.current.get(w.key);
          if (row && row.writer === w.writer && row.version === version)
            return { key: w.key, ok: true, version };
          return row
            ? { key: w.key, ok: false, currentVersion: row.version, currentWriter: row.writer }
            : { key: w.key, ok: false, currentVersion: 0 };
        });
      });
    });
  }

  async claimZoneFence(zone: string, token: number): Promise<number> {
    checkFence(zone, token);
    return this.#run('claim_zone_fence', () => {
      this.#stmts.raiseFence.run(zone, token, Date.now());
      return this.#stmts.zoneFence.get(zone)?.token ?? token;
    });
  }

  async zoneFence(zone: string): Promise<number> {
    checkZone(zone);
    return this.#run('zone_fence', () => this.#stmts.zoneFence.get(zone)?.token ?? 0);
  }

  /**
   * Inside the batch's transaction: raises each fenced zone's token to the batch's highest (never
   * lowers it) and returns the tokens now stored. SQLite has one writer at a time, so the check
   * and the writes that follow cannot interleave with another batch.
   */
  #raiseFences(writes: readonly VersionedWrite[], now: number): Map<string, number> {
    const fences = new Map<string, number>();
    for (const w of writes)
      if (w.fence) fences.set(w.fence.zone, Math.max(fences.get(w.fence.zone) ?? 0, w.fence.token));
    for (const [zone, token] of fences) {
      this.#stmts.raiseFence.run(zone, token, now);
      fences.set(zone, this.#stmts.zoneFence.get(zone)?.token ?? token);
    }
    return fences;
  }

  poolStats(): PoolStats {
    // One connection, used synchronously: it is never seen busy from outside a call.
    return { active: 0, idle: this.#closed ? 0 : 1, waiting: 0 };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  async #run<T>(operation: string, fn: () => T): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError('the store is closed');
    return timed(this.#metrics, operation, async () => {
      try {
        return fn();
      } catch (error) {
        throw classify(operation, error);
      }
    });
  }
}

interface TableStatements {
  upsert: SqliteStatement;
  current: SqliteStatement<{ version: number; writer: string }>;
  load: SqliteStatement<{ key: string; version: number; data: string }>;
}

function tableStatements(
  db: SqliteDatabase,
  table: 'characters' | 'world_state',
  keyColumn: string,
): TableStatements {
  return {
    upsert:
      db.prepare(`INSERT INTO ${table} (${keyColumn}, version, data, writer, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (${keyColumn}) DO UPDATE
        SET version = excluded.version, data = excluded.data, writer = excluded.writer, updated_at = excluded.updated_at
        WHERE ${table}.version = excluded.version - 1`),
    current: db.prepare(`SELECT version, writer FROM ${table} WHERE ${keyColumn} = ?`),
    load: db.prepare(`SELECT ${keyColumn} AS key, version, data FROM ${table} WHERE ${keyColumn} = ?`),
  };
}

/** Every statement is prepared once at open (a prepare costs ~10x an execution). */
function prepare(db: SqliteDatabase) {
  return {
    createAccount: db.prepare(
      'INSERT INTO accounts (username, password_hash, roles, created_at) VALUES (?, ?, ?, ?)',
    ),
    findAccount: db.prepare<{ username: string; password_hash: string; roles: string; created_at: number }>(
      'SELECT username, password_hash, roles, created_at FROM accounts WHERE lower(username) = lower(?)',
    ),
    createSession: db.prepare('INSERT INTO sessions (token_hash, username, expires_at) VALUES (?, ?, ?)'),
    findSession: db.prepare<{ token_hash: string; username: string; expires_at: number }>(
      'SELECT token_hash, username, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?',
    ),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    // substr, not LIKE: a prefix holding `%` or `_` must not act as a wildcard.
    loadWorld: db.prepare<{ key: string; version: number; data: string }>(
      'SELECT key, version, data FROM world_state WHERE substr(key, 1, length(?)) = ? ORDER BY key',
    ),
    characters: tableStatements(db, 'characters', 'username'),
    world: tableStatements(db, 'world_state', 'key'),
    raiseFence: db.prepare(
      `INSERT INTO zone_fences (zone, token, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (zone) DO UPDATE SET token = max(zone_fences.token, excluded.token), updated_at = excluded.updated_at`,
    ),
    zoneFence: db.prepare<{ token: number }>('SELECT token FROM zone_fences WHERE zone = ?'),
  };
}

/** SQLITE_BUSY / SQLITE_LOCKED (another process holds the write lock too long) are retryable. */
function classify(operation: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const code = sqliteErrorCode(error);
  const message = `${operation}: ${(error as Error).message ?? String(error)}`;
  return /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL)/.test(code)
    ? new StoreUnavailableError(message, { cause: error })
    : new StoreQueryError(message, { cause: error });
}
