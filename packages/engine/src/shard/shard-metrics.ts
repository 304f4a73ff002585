import type { RecordableHistogram } from 'node:perf_hooks';
import type { Histogram } from 'prom-client';
import type { ThreadMetrics } from '../metrics/thread-metrics.js';

/** How many of a shard's zones leviathan_zone_players reports: the busiest. */
const BUSIEST_ZONES = 10;

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
  /** The zones in leviathan_zone_players since the last sync. */
  #reportedZones: string[] = [];
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

  /**
   * Before a scrape: the gauges read rather than set per tick. Zones: only the busiest
   * `BUSIEST_ZONES` with anyone in them, so a world of thousands of zones does not cost
   * thousands of series; the previous scrape's set is cleared first (a zone that emptied leaves).
   */
  sync(players: number, zones: Iterable<{ readonly id: string; readonly playerCount: number }>): void {
    this.metrics.shardPlayers.set(this.#label, players);
    const busiest: Array<{ id: string; players: number }> = [];
    for (const zone of zones) {
      if (zone.playerCount > 0) busiest.push({ id: zone.id, players: zone.playerCount });
    }
    busiest.sort((a, b) => b.players - a.players);
    for (const zone of this.#reportedZones)
      this.metrics.zonePlayers.remove({ shard: this.#label.shard, zone });
    this.#reportedZones = busiest.slice(0, BUSIEST_ZONES).map((z) => z.id);
    for (let i = 0; i < this.#reportedZones.length; i++) {
      this.metrics.zonePlayers.set({ shard: this.#label.shard, zone: busiest[i]!.id }, busiest[i]!.players);
    }
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
