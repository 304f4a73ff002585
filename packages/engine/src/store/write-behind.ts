import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { JsonObject } from '@leviathan/protocol';
import { StoreBacklogFullError, StoreError, StoreQueryError } from '../errors.js';
import { RetryBackoff } from './retry-backoff.js';
import type { Store } from './store.js';
import type { StoreMetrics } from './store-metrics.js';
import { VersionedSaver } from './versioned-saver.js';
import { WriteBehindBacklog } from './write-behind-backlog.js';
import { WriteBehindGauges } from './write-behind-gauges.js';
import type {
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
 *
 * This class runs the flushes; its parts are the backlog (write-behind-backlog.ts), the versioned
 * saves of its entries (versioned-saver.ts), the retry delays and outage state (retry-backoff.ts)
 * and the gauges (write-behind-gauges.ts).
 */
export class WriteBehind extends EventEmitter<WriteBehindEvents> {
  readonly #store: Store;
  readonly #intervalMs: number;
  readonly #maxBatch: number;
  readonly #log: WriteBehindLogger | undefined;
  readonly #metrics: StoreMetrics | undefined;
  readonly #backlog: WriteBehindBacklog;
  readonly #backoff: RetryBackoff;
  readonly #saver: VersionedSaver;
  readonly #gauges: WriteBehindGauges;
  #timer: NodeJS.Timeout | undefined;
  /** Serializes flushes (see `flush`). */
  #chain: Promise<unknown> = Promise.resolve();
  #busy = 0;
  #closed = false;

  constructor(options: WriteBehindOptions) {
    super();
    this.#store = options.store;
    this.#intervalMs = positive(options.flushIntervalMs ?? 1000, 'flushIntervalMs');
    this.#maxBatch = positive(options.maxBatchSize ?? 1000, 'maxBatchSize');
    const maxPending = positive(options.maxPendingEntities ?? 100_000, 'maxPendingEntities');
    const retryBaseMs = positive(options.retryBaseMs ?? 250, 'retryBaseMs');
    const retryMaxMs = positive(options.retryMaxMs ?? 30_000, 'retryMaxMs');
    this.#log = options.logger;
    this.#metrics = options.metrics;
    this.#backlog = new WriteBehindBacklog(maxPending);
    this.#backoff = new RetryBackoff(retryBaseMs, retryMaxMs, options.random ?? Math.random);
    this.#saver = new VersionedSaver({
      store: options.store,
      nodeId: options.nodeId ?? randomBytes(6).toString('hex'),
      backlog: this.#backlog,
      backoff: this.#backoff,
      log: options.logger,
      metrics: options.metrics,
      onConflict: (event) => this.emit('conflict', event),
      fenceOf: options.fenceOf,
    });
    this.#gauges = new WriteBehindGauges(options.metrics, options.store, options.logger);
    // An EventEmitter without an 'error' listener throws on 'error': these events are named
    // otherwise, and the write-behind logs every one of them itself.
  }

  /** Starts the flush interval (unref'd: it never keeps the process alive by itself). */
  start(): this {
    if (this.#timer || this.#closed) return this;
    this.#timer = setInterval(() => {
      if (this.#backoff.mayAttempt(Date.now()) && this.#busy === 0 && this.#backlog.size > 0)
        void this.flush();
      this.#gauges.update(this.#backlog);
    }, this.#intervalMs);
    this.#timer.unref();
    return this;
  }

  /** Entities changed in memory and not yet in the database. */
  get pending(): number {
    return this.#backlog.size;
  }

  /** True while the backlog is at its bound (new entities are being refused). */
  get saturated(): boolean {
    return this.#backlog.saturated;
  }

  /** True while flushes are failing (the database is unreachable or refusing). */
  get degraded(): boolean {
    return this.#backoff.degraded;
  }

  /**
   * Records the database version of an entity this node just loaded, so that its next save
   * expects that version. Clears an earlier conflict (the caller has the current data now).
   */
  track(kind: EntityKind, key: string, dbVersion: number): void {
    this.#backlog.track(kind, key, dbVersion);
  }

  /**
   * The character's latest state: the backlog's snapshot if one is waiting (fresher than the
   * database, e.g. a player who logs in again before the flush), else the store's, which is then
   * tracked. Called on login, off any tick.
   */
  async loadPlayer(username: string): Promise<{ version: number; data: JsonObject } | undefined> {
    const entry = this.#backlog.entry('player', username);
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
    this.#metrics?.pendingDirty.set(this.#backlog.size);
  }

  /** False when the backlog refused the snapshot (it is at its bound). */
  #put(kind: EntityKind, key: string, seq: number, data: JsonObject): boolean {
    const outcome = this.#backlog.put(kind, key, seq, data);
    if (outcome === 'conflicted') this.#metrics?.errors.inc({ operation: `conflict_${kind}` });
    return outcome !== 'refused';
  }

  #refuse(kind: EntityKind, keys: string[]): void {
    this.#metrics?.errors.inc({ operation: 'backlog_full' }, keys.length);
    const error = new StoreBacklogFullError(this.#backlog.bound, keys);
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
   * While the database is known to be down (a failed save, and its backoff not over), a logout
   * does not try again: it stays in the backlog at once. Each try waits for a connection to fail,
   * and tries run one after another, so a crowd logging out during an outage (or a node shutting
   * down with its database gone) queued one per player: 375 logouts kept a node busy for minutes
   * after its shutdown deadline, and held back the flushes queued behind them.
   */
  flushPlayer(username: string): Promise<boolean> {
    return this.#exclusive(async () => {
      const entry = this.#backlog.entry('player', username);
      if (!entry) return true;
      entry.releaseWhenClean = true;
      if (entry.dirty && !entry.conflicted) {
        if (!this.#backoff.mayAttempt(Date.now())) return false;
        try {
          await this.#saver.save('player', [entry]);
        } catch (error) {
          const retryInMs = this.#backoff.flushFailed();
          this.#log?.warn(
            { err: error, username, retryInMs },
            'saving a player at logout failed; it stays in the backlog',
          );
          return false;
        }
      }
      this.#backlog.releaseIfClean(entry);
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
    return this.settle(deadlineMs);
  }

  /**
   * Flushes until the backlog is empty or `deadlineMs` passes, retrying failures with short
   * backoff, and keeps running after (what a cluster node does before it gives a zone away, so the
   * next owner loads its latest state). Resolves with what is left unsaved (0 on success).
   */
  async settle(deadlineMs = 10_000): Promise<{ unsaved: number }> {
    const deadline = Date.now() + deadlineMs;
    let delay = Math.min(this.#backoff.baseMs, 100);
    for (;;) {
      this.#backoff.attemptNow();
      const result = await this.flush();
      if (this.#backlog.savable() === 0 || Date.now() > deadline) break;
      // Progress: go on at once. No progress (outage, or rows the database refuses): back off.
      if (!result.failed && result.saved > 0) continue;
      if (Date.now() + delay > deadline) break;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2000);
    }
    const unsaved = this.#backlog.unsaved();
    if (unsaved.length > 0 && this.#closed) {
      this.#log?.error(
        { unsaved: unsaved.length, keys: unsaved.slice(0, 20).map((e) => `${e.kind}:${e.key}`) },
        'write-behind closed with unsaved state: the database did not accept it before the deadline',
      );
    }
    this.#gauges.update(this.#backlog);
    return { unsaved: unsaved.length };
  }

  async #flushOnce(): Promise<FlushResult> {
    const byKind = this.#backlog.due(Date.now(), this.#closed);
    let saved = 0;
    try {
      for (const kind of ['player', 'world'] as const) {
        const list = byKind[kind];
        for (let i = 0; i < list.length; i += this.#maxBatch) {
          // Yield to the event loop between chunks: the embedded store's writes are synchronous,
          // and other main-thread work (supervision, /metrics) should not wait for a whole backlog.
          if (i > 0) await new Promise<void>((r) => setImmediate(r));
          saved += await this.#saver.save(kind, list.slice(i, i + this.#maxBatch));
        }
      }
    } catch (error) {
      const err = error instanceof StoreError ? error : new StoreQueryError(String(error), { cause: error });
      const retryInMs = this.#backoff.flushFailed();
      const attempt = this.#backoff.failures;
      this.#log?.warn(
        { err, attempt, retryInMs, pending: this.#backlog.size },
        'write-behind flush failed; keeping the backlog and retrying',
      );
      this.emit('flush-error', { error: err, attempt, retryInMs, pending: this.#backlog.size });
      this.#gauges.update(this.#backlog);
      return { saved, pending: this.#backlog.size, failed: true };
    }
    if (this.#backoff.degraded) {
      const attempts = this.#backoff.failures;
      this.#log?.info(
        { attempts, saved, pending: this.#backlog.size },
        'write-behind recovered: the database answers again',
      );
      this.emit('recovered', { attempts, saved });
      this.#backoff.flushSucceeded();
    }
    if (saved > 0) this.#metrics?.flushBatchSize.observe(saved);
    this.#gauges.update(this.#backlog);
    return { saved, pending: this.#backlog.size, failed: false };
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
