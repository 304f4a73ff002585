import type { JsonObject } from '@leviathan/protocol';

/**
 * The persistence contract of the engine. Two implementations: `postgres/` (production, shared by
 * several nodes) and `embedded/` (SQLite under a data directory, through better-sqlite3 or Node's
 * built-in node:sqlite; the default for `pnpm start` and a bare embed). Both pass the same contract suite (test/store/store-contract.ts).
 *
 * Every method is asynchronous, even on the embedded store, so callers never depend on which
 * implementation runs. No method is ever called from a tick: shards send state batches to the main
 * thread, whose write-behind (write-behind.ts, saving through versioned-saver.ts) calls the store.
 */
export interface Store {
  /** `postgres` or `embedded`. */
  readonly kind: 'postgres' | 'embedded';

  // ─── Accounts ──────────────────────────────────────────────────────────────────────────────
  /**
   * Creates an account. Usernames are unique without regard to case (`Alice` and `alice` are the
   * same account). Throws `StoreDuplicateError` when the name is taken.
   */
  createAccount(account: NewAccount): Promise<AccountRecord>;
  /** The account whose name equals `username` without regard to case, if any. */
  findAccount(username: string): Promise<AccountRecord | undefined>;
  /** Stores a session (only the SHA-256 of its token is kept). */
  createSession(session: SessionRecord): Promise<void>;
  /** The session with this token hash if it has not expired at `now`. */
  findSession(tokenHash: string, now: Date): Promise<SessionRecord | undefined>;
  /** Removes a session (logout). Idempotent. */
  deleteSession(tokenHash: string): Promise<void>;
  /** Removes every session expired at `now`; resolves with how many. */
  deleteExpiredSessions(now: Date): Promise<number>;

  // ─── Characters and world ──────────────────────────────────────────────────────────────────
  /** A character by its exact username, or undefined when the player has never been saved. */
  loadCharacter(username: string): Promise<VersionedRecord | undefined>;
  /** Every world entry whose key starts with `prefix` ('' for all), e.g. `room:` for items in rooms. */
  loadWorld(prefix: string): Promise<VersionedRecord[]>;
  /**
   * Saves characters in one batch with optimistic concurrency: each row is written only if its
   * stored version equals `expectedVersion` (0: the row must not exist yet), and then has version
   * `expectedVersion + 1`. Rows that fail the check are not written and come back as conflicts;
   * the others are written. Keys must be unique within a batch.
   */
  saveCharacters(writes: readonly VersionedWrite[]): Promise<SaveResult[]>;
  /** Like `saveCharacters`, for world entries. */
  saveWorld(writes: readonly VersionedWrite[]): Promise<SaveResult[]>;
  /**
   * The highest fencing token the store has accepted for `zone` (0: none). A cluster node's new
   * lease on the zone starts above it, so that a Redis that lost its counters cannot hand out a
   * token the store would refuse.
   */
  zoneFence(zone: string): Promise<number>;
  /**
   * Raises the zone's fence to `token` (never lowers it) and resolves with the fence now stored. A
   * node that has just taken a zone's lease claims it here *before* it loads the zone's state: from
   * then on a save under an older lease is refused, even one that arrives before the new owner's
   * first save and expects the very version it loaded. Resolves above `token` when a newer lease
   * has already claimed the zone.
   */
  claimZoneFence(zone: string, token: number): Promise<number>;

  // ─── Lifecycle ─────────────────────────────────────────────────────────────────────────────
  /** Pool use for the `leviathan_db_pool_connections{state}` gauge. */
  poolStats(): PoolStats;
  /** Releases connections or the database file. Idempotent. */
  close(): Promise<void>;
}

/**
 * Which store to open and how; the engine config's `store` section (config/engine-config.ts) is one
 * of these, so `createStore(config.store)` works as is.
 */
export interface StoreOptions {
  /** `embedded` (SQLite under `dataDir`, no server needed) or `postgres` (`url`). @default 'embedded' */
  readonly kind?: 'embedded' | 'postgres' | undefined;
  /** Directory of the embedded store's file `leviathan.sqlite` (created if missing). @default './data' */
  readonly dataDir?: string | undefined;
  /**
   * The embedded store's SQLite binding: `auto` takes better-sqlite3 when it is installed and
   * loads, else Node's built-in `node:sqlite` (Node 22.13+, 24). @default 'auto'
   */
  readonly sqliteDriver?: 'auto' | 'better-sqlite3' | 'node:sqlite' | undefined;
  /** A `postgres://` URL (kind `postgres`). */
  readonly url?: string | undefined;
  /**
   * Unix-socket directory, when connecting through a socket: postgres.js wants it as `host`, not
   * as `?host=` in the URL.
   */
  readonly socketDir?: string | undefined;
  /** Most connections in the Postgres pool. @default 10 */
  readonly maxConnections?: number | undefined;
  /** Apply pending migrations when a Postgres store opens (under the advisory lock). @default true */
  readonly migrate?: boolean | undefined;
}

export interface NewAccount {
  username: string;
  /** A self-describing password hash (see auth/accounts/password-hash.ts); never the password. */
  passwordHash: string;
  roles: readonly string[];
}

export interface AccountRecord {
  /** As spelled at creation. */
  username: string;
  passwordHash: string;
  roles: string[];
  createdAt: Date;
}

export interface SessionRecord {
  /** Hex SHA-256 of the session token. */
  tokenHash: string;
  username: string;
  expiresAt: Date;
}

/**
 * A persisted entity: a character (key = username) or a world entry (key such as `room:town/square`).
 * A character's `data` holds at least `location`, `inventory` and `stats` (see CharacterData); the
 * store keeps it as one JSON document so that games can add fields without a migration.
 */
export interface VersionedRecord {
  key: string;
  /** Starts at 1 and grows by one on every successful save. */
  version: number;
  data: JsonObject;
}

/** The documented shape of a character's `data` (games may add more fields). */
export interface CharacterData extends JsonObject {
  location: { zone: string; room: string };
  inventory: JsonObject[];
  stats: JsonObject;
}

export interface VersionedWrite {
  key: string;
  /** The version this writer last loaded or saved; 0 when the entity is new. */
  expectedVersion: number;
  data: JsonObject;
  /**
   * Who writes, unique per attempt (node id + sequence). When a save committed but its reply was
   * lost (connection dropped), the retry finds the row at `expectedVersion + 1` written by the same
   * token, and counts it as saved instead of as a conflict.
   */
  writer: string;
  /**
   * The lease the entity was written under, on a cluster node (docs/cluster.md). The write is
   * refused (`fenced`) when the store has accepted a higher token for the zone: another node owns
   * it now. Within a batch the check and the writes are one transaction, so a newer owner's save
   * can never land before an older one's.
   */
  fence?: ZoneFence | undefined;
}

/** A zone's fencing token, from a cluster node's lease on it (cluster/zone-leases.ts). */
export interface ZoneFence {
  readonly zone: string;
  readonly token: number;
}

export type SaveResult =
  | { key: string; ok: true; version: number }
  | {
      key: string;
      ok: false;
      /** The stored version (0: no row). */
      currentVersion: number;
      /** The writer token of the stored row, so a caller can recognize its own earlier attempt. */
      currentWriter?: string;
      fenced?: undefined;
    }
  | {
      key: string;
      ok: false;
      /** Not written: the store has accepted a higher token for the write's zone. */
      fenced: true;
      /** That token. */
      currentToken: number;
    };

export interface PoolStats {
  /** Connections currently running a query. */
  active: number;
  /** Open connections waiting for work. */
  idle: number;
  /** Queries queued for a connection. */
  waiting: number;
}
