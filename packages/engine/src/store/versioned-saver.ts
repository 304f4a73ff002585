import { type StoreError, StoreInvalidWriteError, StoreQueryError } from '../errors.js';
import type { Entry } from './pending-entity.js';
import type { RetryBackoff } from './retry-backoff.js';
import type { SaveResult, Store, VersionedWrite, ZoneFence } from './store.js';
import type { StoreMetrics } from './store-metrics.js';
import type { WriteBehindBacklog } from './write-behind-backlog.js';
import type { ConflictEvent, EntityKind, WriteBehindLogger } from './write-behind-types.js';

export interface VersionedSaverOptions {
  readonly store: Store;
  /** Prefix of the writer tokens stored with each row; unique per process. */
  readonly nodeId: string;
  readonly backlog: WriteBehindBacklog;
  readonly backoff: RetryBackoff;
  readonly log: WriteBehindLogger | undefined;
  readonly metrics: StoreMetrics | undefined;
  /** A version conflict, already counted and logged (the write-behind emits it as `conflict`). */
  readonly onConflict: (event: ConflictEvent) => void;
  /** The lease an entity's state was written under, on a cluster node (WriteBehindOptions.fenceOf). */
  readonly fenceOf?: FenceOf | undefined;
}

/** See WriteBehindOptions.fenceOf. */
export type FenceOf = (kind: EntityKind, key: string, data: Entry['data']) => ZoneFence | undefined;

/**
 * The write-behind's saves of backlog entries, chunk by chunk, with optimistic versions: each row
 * expects the database version its entity was loaded or last saved at, and carries a writer token
 * (`nodeId:n`). A save whose outcome is unknown is settled by the token found later; a row this
 * process wrote itself is adopted; a row another writer saved is a conflict, never overwritten.
 */
export class VersionedSaver {
  readonly #store: Store;
  readonly #nodeId: string;
  readonly #writerPrefix: string;
  readonly #backlog: WriteBehindBacklog;
  readonly #backoff: RetryBackoff;
  readonly #log: WriteBehindLogger | undefined;
  readonly #metrics: StoreMetrics | undefined;
  readonly #onConflict: (event: ConflictEvent) => void;
  readonly #fenceOf: FenceOf | undefined;
  #writeSeq = 0;

  constructor(options: VersionedSaverOptions) {
    this.#store = options.store;
    this.#nodeId = options.nodeId;
    this.#writerPrefix = `${options.nodeId}:`;
    this.#backlog = options.backlog;
    this.#backoff = options.backoff;
    this.#log = options.log;
    this.#metrics = options.metrics;
    this.#onConflict = options.onConflict;
    this.#fenceOf = options.fenceOf;
  }

  /**
   * Writes one chunk; returns how many were saved. Throws only for outages (the caller backs off
   * as a whole); a chunk the database refuses otherwise is split, to isolate the refused rows.
   */
  async save(kind: EntityKind, chunk: Entry[], adopting = false): Promise<number> {
    const writes: VersionedWrite[] = chunk.map((e) => {
      e.inflightSeq = e.seq;
      e.inflightWriter = `${this.#nodeId}:${++this.#writeSeq}`;
      const fence = this.#fenceOf?.(kind, e.key, e.data);
      return { key: e.key, expectedVersion: e.baseVersion, data: e.data, writer: e.inflightWriter, fence };
    });
    let results: SaveResult[];
    try {
      results =
        kind === 'player' ? await this.#store.saveCharacters(writes) : await this.#store.saveWorld(writes);
    } catch (error) {
      // The outcome is unknown (the statement may have committed before the connection dropped):
      // remember the attempt, so that finding our own token at base + 1 later counts as saved.
      for (const e of chunk) {
        e.uncertainWriter = e.inflightWriter;
        e.uncertainSeq = e.inflightSeq;
      }
      if (error instanceof StoreQueryError || error instanceof StoreInvalidWriteError)
        return this.#isolate(kind, chunk, error);
      throw error;
    }
    let saved = 0;
    const adopted: Entry[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i] as Entry;
      const r = results[i] as SaveResult;
      if (r.ok) {
        this.#saved(e, r.version, e.inflightSeq);
        saved++;
      } else if (r.fenced) {
        this.#fenced(e, (writes[i] as VersionedWrite).fence?.token ?? 0, r.currentToken);
      } else if (
        e.uncertainWriter !== '' &&
        r.currentWriter === e.uncertainWriter &&
        r.currentVersion === e.baseVersion + 1
      ) {
        // Our earlier attempt did commit: adopt its version; the newer snapshot goes next flush.
        this.#saved(e, r.currentVersion, e.uncertainSeq);
      } else if (!adopting && r.currentWriter?.startsWith(this.#writerPrefix)) {
        // This process wrote the current row itself, then forgot the entity (released at logout)
        // and got it back from the server's state cache without a load: nobody else wrote since,
        // so its snapshot is the newest. Adopt the version and write again at once.
        e.baseVersion = r.currentVersion;
        e.uncertainWriter = '';
        adopted.push(e);
      } else {
        this.#conflict(e, r.currentVersion);
      }
    }
    if (adopted.length > 0) saved += await this.save(kind, adopted, true);
    return saved;
  }

  async #isolate(kind: EntityKind, chunk: Entry[], error: StoreError): Promise<number> {
    if (chunk.length > 1) {
      let saved = 0;
      const half = Math.ceil(chunk.length / 2);
      saved += await this.save(kind, chunk.slice(0, half));
      saved += await this.save(kind, chunk.slice(half));
      return saved;
    }
    const e = chunk[0] as Entry;
    e.failures++;
    e.retryAt = Date.now() + this.#backoff.entityRetryMs(e.failures);
    this.#metrics?.errors.inc({ operation: `save_${kind}_refused` });
    this.#log?.error(
      { err: error, kind, key: e.key, failures: e.failures, retryInMs: e.retryAt - Date.now() },
      'the database refused one entity; it stays in the backlog and is retried alone',
    );
    return 0;
  }

  #saved(e: Entry, version: number, seq: number): void {
    e.baseVersion = version;
    e.failures = 0;
    e.retryAt = 0;
    e.uncertainWriter = '';
    if (e.seq === seq) this.#backlog.markClean(e);
  }

  /**
   * The store has a newer lease token for the entity's zone: another node owns the zone now and
   * this node's snapshot is stale. Dropped like a conflict (never retried, never overwriting); the
   * zone's new owner has its own state, loaded from the last save.
   */
  #fenced(e: Entry, token: number, currentToken: number): void {
    this.#backlog.markConflicted(e);
    this.#metrics?.errors.inc({ operation: `fenced_${e.kind}` });
    this.#log?.warn(
      { kind: e.kind, key: e.key, token, currentToken, code: 'LEV_ERR_CLUSTER_LEASE_LOST' },
      'save refused: another node holds a newer lease on this zone; this stale snapshot is dropped',
    );
  }

  #conflict(e: Entry, currentVersion: number): void {
    this.#backlog.markConflicted(e);
    this.#metrics?.errors.inc({ operation: `conflict_${e.kind}` });
    const event: ConflictEvent = {
      kind: e.kind,
      key: e.key,
      expectedVersion: e.baseVersion,
      currentVersion,
      data: e.data,
    };
    this.#log?.error(
      {
        kind: e.kind,
        key: e.key,
        expectedVersion: e.baseVersion,
        currentVersion,
        code: 'LEV_ERR_STORE_VERSION_CONFLICT',
      },
      'version conflict: another writer saved this entity; not overwriting it, and not saving it again until it is reloaded',
    );
    this.#onConflict(event);
  }
}
