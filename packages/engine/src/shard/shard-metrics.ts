import type { RecordableHistogram } from 'node:perf_hooks';
import type { Histogram } from 'prom-client';
import type { ThreadMetrics } from '../metrics/thread-metrics.js';

/**
 * A shard's metrics. Per tick only what must be per tick: the tick's duration (into the
 * histogram's child, resolved once) and how late it started (the thread's event-loop delay, into
 * `delays`); the player count is read at scrape time (a gauge's `set` hashes its labels).
 */
export class ShardMetrics {
  readonly metrics: ThreadMetrics;
  readonly #tick: ReturnType<Histogram<'shard'>['labels']>;
  readonly #label: { shard: string };
  readonly #delays: RecordableHistogram;
  /** droppedLow at the last sync. */
  #dropped = 0;

  constructor(metrics: ThreadMetrics, shard: number, delays: RecordableHistogram) {
    this.metrics = metrics;
    this.#label = { shard: String(shard) };
    this.#tick = metrics.tickDuration.labels(this.#label);
    this.#delays = delays;
    metrics.tickOverruns.inc(this.#label, 0);
    metrics.shardPlayers.set(this.#label, 0);
  }

  observeTick(seconds: number, lateMs: number): void {
    this.#tick.observe(seconds);
    // In nanoseconds, at least 1 (the histogram takes no zero).
    this.#delays.record(Math.max(1, Math.round(lateMs * 1e6)));
  }

  /** Before a scrape: the gauges read rather than set per tick. */
  sync(players: number): void {
    this.metrics.shardPlayers.set(this.#label, players);
  }

  overrun(): void {
    this.metrics.tickOverruns.inc(this.#label);
  }

  /** Moves the fan-out's count of shed messages (a plain number on the hot path) into the registry. */
  syncDropped(droppedLow: number): void {
    this.metrics.messagesDropped.inc({ reason: 'tick_budget' }, droppedLow - this.#dropped);
    this.#dropped = droppedLow;
  }
}
