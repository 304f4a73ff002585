import type { JsonObject } from '@leviathan/protocol';
import type { StoreError } from '../errors.js';
import type { Store, ZoneFence } from './store.js';
import type { StoreMetrics } from './store-metrics.js';

/**
 * Rows to save, versioned: what StorePersistence makes of a shard's state batch (world data
 * wrapped into objects, the rest left to the state batch's other readers).
 */
export interface SaveBatch {
  shard: number;
  tick: number;
  players: ReadonlyArray<{ username: string; version: number; data: JsonObject }>;
  world: ReadonlyArray<{ key: string; version: number; data: JsonObject }>;
}

export type EntityKind = 'player' | 'world';

/** The logging the write-behind needs; the engine's Logger (logging/logger.ts) fits. */
export interface WriteBehindLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface WriteBehindOptions {
  store: Store;
  /**
   * Time between flushes, in milliseconds. It is also the durability window: a `kill -9` loses at
   * most the changes of the last interval (plus a flush in flight). See docs/persistence.md.
   * @default 1000
   */
  flushIntervalMs?: number;
  /**
   * Most rows per UPSERT statement. Larger batches amortize round trips (1000 rows ≈ 15 ms against
   * ≈ 110-240 ms as single rows) but hold a connection longer.
   * @default 1000
   */
  maxBatchSize?: number;
  /**
   * Bound of the backlog, in entities changed and not yet saved. Updates to entities already in
   * the backlog are always accepted (they replace the older snapshot, so memory does not grow);
   * at the bound a snapshot of an entity not in the backlog is refused: logged at error level,
   * counted in `leviathan_db_errors_total{operation="backlog_full"}`, and emitted as `backlog-full`
   * with the keys, so the server can stop admitting players. Nothing is dropped silently.
   * @default 100000
   */
  maxPendingEntities?: number;
  /** First retry delay after a failed flush, in milliseconds (doubles per failure). @default 250 */
  retryBaseMs?: number;
  /** Longest retry delay, in milliseconds. @default 30000 */
  retryMaxMs?: number;
  /**
   * Prefix of the writer tokens stored with each row; unique per process (a row written by this
   * prefix was written by this very process).
   * @default a random id
   */
  nodeId?: string;
  /**
   * On a cluster node: the lease each entity's state was written under (its zone and token, from
   * cluster/lease-keeper.ts), sent with the save so that the store refuses it once another node
   * holds a newer lease on the zone. Such a save is dropped, counted in
   * `leviathan_db_errors_total{operation="fenced_<kind>"}` and logged. A single node leaves it
   * unset: nothing is fenced and batches keep their one-statement path.
   */
  fenceOf?: ((kind: EntityKind, key: string, data: JsonObject) => ZoneFence | undefined) | undefined;
  logger?: WriteBehindLogger;
  metrics?: StoreMetrics;
  /** Source of jitter in [0, 1). @default Math.random */
  random?: () => number;
}

/** A version conflict: another writer saved the entity since this node loaded it. */
export interface ConflictEvent {
  kind: EntityKind;
  key: string;
  expectedVersion: number;
  currentVersion: number;
  /** The snapshot that was not written, so the server can log or reconcile it. */
  data: JsonObject;
}

export interface WriteBehindEvents {
  conflict: [ConflictEvent];
  'backlog-full': [{ kind: EntityKind; keys: string[] }];
  /** A flush failed; the backlog is kept and retried after `retryInMs`. */
  'flush-error': [{ error: StoreError; attempt: number; retryInMs: number; pending: number }];
  /** The first successful flush after failures. */
  recovered: [{ attempts: number; saved: number }];
}

export interface FlushResult {
  /** Entities written. */
  saved: number;
  /** Entities still waiting (failed, conflicted ones excluded). */
  pending: number;
  /** The flush failed and will be retried. */
  failed: boolean;
}
