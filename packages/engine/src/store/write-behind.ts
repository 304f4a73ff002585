import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { JsonObject } from '@leviathan/protocol';
import { StoreBacklogFullError, StoreError, StoreInvalidWriteError, StoreQueryError } from '../errors.js';
import { Entry } from './pending-entity.js';
import type { SaveResult, Store, VersionedWrite } from './store.js';
import type { StoreMetrics } from './store-metrics.js';
import type {
  ConflictEvent,
  EntityKind,
  FlushResult,
  SaveBatch,
  WriteBehindEvents,
  WriteBehindLogger,
  WriteBehindOptions,
} from './write-behind-types.js';

/**
 * Write-behind persistence fed by the shards' state batches, in the main thread.
 *
 * - Coalesces per entity: the backlog holds one snapshot per player or world key, the latest
 *   (a snapshot with a lower in-memory version than the one held is an out-of-order leftover and
 *   is ignored).
 * - Flushes every `flushIntervalMs`, on `flushPlayer` (logout) and on `close` (shutdown), in
 *   batches of `maxBatchSize` versioned UPSERTs.
 * - A database outage does not stop the game: a failed flush keeps the backlog, logs, counts, and
 *   retries with exponential backoff and jitter; once the database answers, everything in memory
 *   is written. A row the database refuses for another reason (not an outage) is isolated and
 *   retried alone with its own backoff, so it cannot hold back the others.
 * - Versions: each entity remembers the database version it was loaded or last saved at
 *   (`track`, or 0 for an entity never seen); a save that finds another version is a conflict
 *   (another node wrote it): never overwritten, reported loudly (`conflict` event, error log,
 *   `leviathan_db_errors_total{operation="conflict_player"|"conflict_world"}`), and the entity is not saved again until it
 *   is loaded again.
 */
export class WriteBehind extends EventEmitter<WriteBehindEvents> {
  readonly #store: Store;
  readonly #intervalMs: number;
  readonly #maxBatch: number;
  readonly #maxPending: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #nodeId: string;
  readonly #writerPrefix: string;
  readonly #log: WriteBehindLogger | undefined;
  readonly #metrics: StoreMetrics | undefined;
  readonly #random: () => number;
  readonly #entries: Record<EntityKind, Map<string, Entry>> = { player: new Map(), world: new Map() };
  readonly #dirty = new Set<Entry>();
  #writeSeq = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Serializes flushes (see `flush`). */
  #chain: Promise<unknown> = Promise.resolve();
  #busy = 0;
  /** Consecutive failed flushes, and when the next attempt may run (ms since epoch). */
  #failures = 0;
  #nextAttemptAt = 0;
  #closed = false;
  #lastBacklogLog = 0;

  constructor(options: WriteBehindOptions) {
    super();
    this.#store = options.store;
    this.#intervalMs = positive(options.flushIntervalMs ?? 1000, 'flushIntervalMs');
    this.#maxBatch = positive(options.maxBatchSize ?? 1000, 'maxBatchSize');
    this.#maxPending = positive(options.maxPendingEntities ?? 100_000, 'maxPendingEntities');
    this.#retryBaseMs = positive(options.retryBaseMs ?? 250, 'retryBaseMs');
    this.#retryMaxMs = positive(options.retryMaxMs ?? 30_000, 'retryMaxMs');
    this.#nodeId = options.nodeId ?? randomBytes(6).toString('hex');
    this.#writerPrefix = `${this.#nodeId}:`;
    this.#log = options.logger;
    this.#metrics = options.metrics;
    this.#random = options.random ?? Math.random;
    // An EventEmitter without an 'error' listener throws on 'error': these events are named
    // otherwise, and the write-behind logs every one of them itself.
  }

  /** Starts the flush interval (unref'd: it never keeps the process alive by itself). */
  start(): this {
    if (this.#timer || this.#closed) return this;
    this.#timer = setInterval(() => {
      if (Date.now() >= this.#nextAttemptAt && this.#busy === 0 && this.#dirty.size > 0) void this.flush();
      this.#updateGauges();
    }, this.#intervalMs);
    this.#timer.unref();
    return this;
  }

  /** Entities changed in memory and not yet in the database. */
  get pending(): number {
    return this.#dirty.size;
  }

  /** True while the backlog is at its bound (new entities are being refused). */
  get saturated(): boolean {
    return this.#dirty.size >= this.#maxPending;
  }

  /** True while flushes are failing (the database is unreachable or refusing). */
  get degraded(): boolean {
    return this.#failures > 0;
  }

  /**
   * Records the database version of an entity this node just loaded, so that its next save
   * expects that version. Clears an earlier conflict (the caller has the current data now).
   */
  track(kind: EntityKind, key: string, dbVersion: number): void {
    const map = this.#entries[kind];
    const entry = map.get(key);
    if (entry) {
      // A clean entry starts over: the shard numbers its snapshots from the loaded version.
      if (!entry.dirty) entry.seq = -1;
      entry.baseVersion = dbVersion;
      entry.conflicted = false;
      entry.releaseWhenClean = false;
      entry.uncertainWriter = '';
    } else {
      map.set(key, new Entry(kind, key, dbVersion));
    }
  }

  /**
   * The character's latest state: the backlog's snapshot if one is waiting (fresher than the
   * database, e.g. a player who logs in again before the flush), else the store's, which is then
   * tracked. Called on login, off any tick.
   */
  async loadPlayer(username: string): Promise<{ version: number; data: JsonObject } | undefined> {
    const entry = this.#entries.player.get(username);
    if (entry?.dirty) {
      entry.releaseWhenClean = false;
      return { version: entry.seq, data: entry.data };
    }
    const record = await this.#store.loadCharacter(username);
    this.track('player', username, record?.version ?? 0);
    return record && { version: record.version, data: record.data };
  }

  /** Takes one state batch: marks its entities dirty (coalesced). Cheap, synchronous. */
  ingest(batch: SaveBatch): void {
    const refused: string[] = [];
    for (const p of batch.players) {
      if (!this.#put('player', p.username, p.version, p.data)) refused.push(p.username);
    }
    if (refused.length > 0) this.#refuse('player', refused);
    const refusedWorld: string[] = [];
    for (const w of batch.world) {
      if (!this.#put('world', w.key, w.version, w.data)) refusedWorld.push(w.key);
    }
    if (refusedWorld.length > 0) this.#refuse('world', refusedWorld);
    this.#metrics?.pendingDirty.set(this.#dirty.size);
  }

  #put(kind: EntityKind, key: string, seq: number, data: JsonObject): boolean {
    const map = this.#entries[kind];
    let entry = map.get(key);
    if (entry?.conflicted) {
      this.#metrics?.errors.inc({ operation: `conflict_${kind}` });
      return true; // already reported; saving it would overwrite another node's data
    }
    if (entry && seq < entry.seq) return true; // out-of-order leftover: a newer snapshot is held
    if (!entry?.dirty && this.#dirty.size >= this.#maxPending) return false;
    if (!entry) {
      entry = new Entry(kind, key, 0);
      map.set(key, entry);
    }
    entry.seq = seq;
    entry.data = data;
    entry.releaseWhenClean = false;
    if (!entry.dirty) {
      entry.dirty = true;
      this.#dirty.add(entry);
    }
    return true;
  }

  #refuse(kind: EntityKind, keys: string[]): void {
    this.#metrics?.errors.inc({ operation: 'backlog_full' }, keys.length);
    const error = new StoreBacklogFullError(this.#maxPending, keys);
    this.#log?.error({ err: error, kind, refused: keys.length, keys: keys.slice(0, 10) }, error.message);
    this.emit('backlog-full', { kind, keys });
  }

  /**
   * Writes the backlog now. Flushes never overlap (two in flight could race one entity against
   * itself and see a false conflict): a call waits for the one running, so a caller that awaits
   * `flush()` knows that everything dirty at the time of the call was attempted. Never throws: a
   * failure keeps the backlog and schedules a retry (`FlushResult.failed`).
   */
  flush(): Promise<FlushResult> {
    return this.#exclusive(() => this.#flushOnce());
  }

  /**
   * Saves one player now (logout) and forgets it once saved. Resolves true when the player's
   * state is in the database; false when the database failed (the state stays in the backlog and
   * is retried with the rest: it is not lost unless the process dies before the database is back).
   */
  flushPlayer(username: string): Promise<boolean> {
    return this.#exclusive(async () => {
      const entry = this.#entries.player.get(username);
      if (!entry) return true;
      entry.releaseWhenClean = true;
      if (entry.dirty && !entry.conflicted) {
        try {
          await this.#saveChunk('player', [entry]);
        } catch (error) {
          this.#log?.warn(
            { err: error, username },
            'saving a player at logout failed; it stays in the backlog',
          );
          return false;
        }
      }
      this.#releaseIfClean(entry);
      return !entry.dirty && !entry.conflicted;
    });
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.#busy++;
    const run = this.#chain.then(fn).finally(() => {
      this.#busy--;
    });
    this.#chain = run.catch(() => {});
    return run;
  }

  /**
   * Stops the interval and flushes until the backlog is empty or `deadlineMs` passes, retrying
   * failures with short backoff. Resolves with what is left unsaved (0 on success); anything left
   * is logged at error level with its keys, since it dies with the process.
   */
  async close(deadlineMs = 10_000): Promise<{ unsaved: number }> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    const deadline = Date.now() + deadlineMs;
    let delay = Math.min(this.#retryBaseMs, 100);
    for (;;) {
      this.#nextAttemptAt = 0;
      const result = await this.flush();
      if (this.#savable() === 0 || Date.now() > deadline) break;
      // Progress: go on at once. No progress (outage, or rows the database refuses): back off.
      if (!result.failed && result.saved > 0) continue;
      if (Date.now() + delay > deadline) break;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2000);
    }
    const unsaved = [...this.#dirty];
    if (unsaved.length > 0) {
      this.#log?.error(
        { unsaved: unsaved.length, keys: unsaved.slice(0, 20).map((e) => `${e.kind}:${e.key}`) },
        'write-behind closed with unsaved state: the database did not accept it before the deadline',
      );
    }
    this.#updateGauges();
    return { unsaved: unsaved.length };
  }

  /** Dirty entities that a flush may write now (conflicted ones are excluded). */
  #savable(): number {
    let n = 0;
    for (const e of this.#dirty) if (!e.conflicted) n++;
    return n;
  }

  async #flushOnce(): Promise<FlushResult> {
    const now = Date.now();
    const byKind: Record<EntityKind, Entry[]> = { player: [], world: [] };
    for (const e of this.#dirty) {
      if (e.retryAt <= now || this.#closed) byKind[e.kind].push(e);
    }
    let saved = 0;
    try {
      for (const kind of ['player', 'world'] as const) {
        const list = byKind[kind];
        for (let i = 0; i < list.length; i += this.#maxBatch) {
          // Yield to the event loop between chunks: the embedded store's writes are synchronous,
          // and other main-thread work (supervision, /metrics) should not wait for a whole backlog.
          if (i > 0) await new Promise<void>((r) => setImmediate(r));
          saved += await this.#saveChunk(kind, list.slice(i, i + this.#maxBatch));
        }
      }
    } catch (error) {
      const err = error instanceof StoreError ? error : new StoreQueryError(String(error), { cause: error });
      this.#failures++;
      const cap = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** (this.#failures - 1));
      // "Equal jitter": half fixed, half random, so nodes that lost the database together do not
      // come back in lockstep, and no retry comes sooner than half the backoff.
      const retryInMs = Math.round(cap / 2 + (this.#random() * cap) / 2);
      this.#nextAttemptAt = Date.now() + retryInMs;
      this.#log?.warn(
        { err, attempt: this.#failures, retryInMs, pending: this.#dirty.size },
        'write-behind flush failed; keeping the backlog and retrying',
      );
      this.emit('flush-error', { error: err, attempt: this.#failures, retryInMs, pending: this.#dirty.size });
      this.#updateGauges();
      return { saved, pending: this.#dirty.size, failed: true };
    }
    if (this.#failures > 0) {
      this.#log?.info(
        { attempts: this.#failures, saved, pending: this.#dirty.size },
        'write-behind recovered: the database answers again',
      );
      this.emit('recovered', { attempts: this.#failures, saved });
      this.#failures = 0;
      this.#nextAttemptAt = 0;
    }
    if (saved > 0) this.#metrics?.flushBatchSize.observe(saved);
    this.#updateGauges();
    return { saved, pending: this.#dirty.size, failed: false };
  }

  /**
   * Writes one chunk; returns how many were saved. Throws only for outages (the caller backs off
   * as a whole); a chunk the database refuses otherwise is split, to isolate the refused rows.
   */
  async #saveChunk(kind: EntityKind, chunk: Entry[], adopting = false): Promise<number> {
    const writes: VersionedWrite[] = chunk.map((e) => {
      e.inflightSeq = e.seq;
      e.inflightWriter = `${this.#nodeId}:${++this.#writeSeq}`;
      return { key: e.key, expectedVersion: e.baseVersion, data: e.data, writer: e.inflightWriter };
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
    if (adopted.length > 0) saved += await this.#saveChunk(kind, adopted, true);
    return saved;
  }

  async #isolate(kind: EntityKind, chunk: Entry[], error: StoreError): Promise<number> {
    if (chunk.length > 1) {
      let saved = 0;
      const half = Math.ceil(chunk.length / 2);
      saved += await this.#saveChunk(kind, chunk.slice(0, half));
      saved += await this.#saveChunk(kind, chunk.slice(half));
      return saved;
    }
    const e = chunk[0] as Entry;
    e.failures++;
    e.retryAt = Date.now() + Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** e.failures);
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
    if (e.seq === seq) {
      e.dirty = false;
      this.#dirty.delete(e);
      this.#releaseIfClean(e);
    }
  }

  #conflict(e: Entry, currentVersion: number): void {
    e.conflicted = true;
    e.dirty = false;
    this.#dirty.delete(e);
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
    this.emit('conflict', event);
  }

  #releaseIfClean(e: Entry): void {
    if (e.releaseWhenClean && !e.dirty) this.#entries[e.kind].delete(e.key);
  }

  #updateGauges(): void {
    if (!this.#metrics) return;
    this.#metrics.pendingDirty.set(this.#dirty.size);
    const pool = this.#store.poolStats();
    this.#metrics.poolConnections.set({ state: 'active' }, pool.active);
    this.#metrics.poolConnections.set({ state: 'idle' }, pool.idle);
    this.#metrics.poolConnections.set({ state: 'waiting' }, pool.waiting);
    if (this.saturated && Date.now() - this.#lastBacklogLog > 10_000) {
      this.#lastBacklogLog = Date.now();
      this.#log?.error(
        { pending: this.#dirty.size, bound: this.#maxPending },
        'write-behind backlog at its bound',
      );
    }
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
