import type { Histogram } from 'prom-client';
import type { ThreadMetrics } from '../metrics/thread-metrics.js';

/** A shard's metrics: the tick histogram child is resolved once, not per tick. */
export class ShardMetrics {
  readonly metrics: ThreadMetrics;
  readonly #tick: ReturnType<Histogram<'shard'>['labels']>;
  readonly #label: { shard: string };
  /** droppedLow at the last sync. */
  #dropped = 0;

  constructor(metrics: ThreadMetrics, shard: number) {
    this.metrics = metrics;
    this.#label = { shard: String(shard) };
    this.#tick = metrics.tickDuration.labels(this.#label);
    metrics.tickOverruns.inc(this.#label, 0);
    metrics.shardPlayers.set(this.#label, 0);
  }

  observeTick(seconds: number, players: number): void {
    this.#tick.observe(seconds);
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
