import { DEFAULT_TICK_PERIOD_SECONDS, FIGURES, type FigureId, figureLevel } from '../metrics/figures.js';
import type { DashboardSnapshot, FigureReading, ShardRow, ZoneRow } from './dashboard-snapshot.js';
import { type EngineReading, quantileBetween, readEngineExposition } from './engine-reading.js';
import { DEFAULT_HISTORY_POINTS, FigureHistory } from './figure-history.js';
import { readFigure, tickPeriodText, withNodeText, withShardText, worseLevel } from './figure-reading.js';

export interface ExpositionSamplerOptions {
  /** What is watched (`http://127.0.0.1:8080`, or `this engine`). */
  readonly target: string;
  /**
   * Rates and quantiles are taken over this many seconds (or since the first sample, when younger):
   * long enough that a p99 at a few commands a second is not noise, short enough to follow a spike.
   * @default 10
   */
  readonly windowSeconds?: number;
  /** Samples kept per figure for sparklines. @default 180 */
  readonly historyPoints?: number;
}

/** The figures node mode can give: everything the engine itself measures. */
const NODE_FIGURES: readonly FigureId[] = (Object.keys(FIGURES) as FigureId[]).filter(
  (id) => FIGURES[id].source === 'engine',
);

interface Timed {
  readonly at: number;
  readonly reading: EngineReading;
}

/**
 * Node mode: pictures of one engine from successive `/metrics` texts. Gauges are read as they
 * are; rates and quantiles (commands/s, latency p99, tick p99 per shard) come from the difference
 * between this text and the one `windowSeconds` before, as Prometheus's `rate()` and
 * `histogram_quantile()` would over that window. The first picture has no rates yet (missing).
 * A counter that went backwards means the engine restarted: the window starts again.
 */
export class ExpositionSampler {
  readonly target: string;
  readonly #windowMs: number;
  readonly #history: FigureHistory;
  #samples: Timed[] = [];
  /** Shards of the last good reading, kept on the grid (as unknown) while the target is down. */
  #lastShards: readonly string[] = [];

  constructor(options: ExpositionSamplerOptions) {
    this.target = options.target;
    this.#windowMs = (options.windowSeconds ?? 10) * 1000;
    this.#history = new FigureHistory(options.historyPoints ?? DEFAULT_HISTORY_POINTS);
  }

  /** The picture from `text`, an exposition taken at `atMs`. Throws if `text` is not an exposition. */
  add(text: string, atMs: number): DashboardSnapshot {
    const reading = readEngineExposition(text);
    const previous = this.#samples[this.#samples.length - 1];
    if (previous !== undefined && restarted(previous.reading, reading)) this.#samples = [];
    this.#samples.push({ at: atMs, reading });
    // Keep the newest sample at or before the window's start, and everything after it.
    const start = atMs - this.#windowMs;
    let first = 0;
    while (first + 1 < this.#samples.length - 1 && this.#samples[first + 1]!.at <= start) first++;
    if (first > 0) this.#samples.splice(0, first);
    const base = this.#samples.length > 1 ? this.#samples[0] : undefined;
    this.#lastShards = [...reading.shards.keys()];
    return this.#picture(reading, base, atMs);
  }

  /** The picture when the target did not answer: every figure missing, the grid red. */
  unreachable(error: string, atMs: number): DashboardSnapshot {
    this.#samples = [];
    const figures = NODE_FIGURES.map((id) => readFigure(id, id === 'enginesUp' ? 0 : null, this.#history));
    return {
      source: { kind: 'node', target: this.target },
      at: atMs,
      reachable: false,
      error,
      tickPeriodSeconds: null,
      tickPeriodText: tickPeriodText(null),
      figures,
      nodes: [
        withNodeText({
          node: this.target,
          up: false,
          players: null,
          commandsPerSecond: null,
          latencyP99Seconds: null,
          level: 'crit',
        }),
      ],
      shards: this.#lastShards.map((shard) =>
        withShardText({
          node: this.target,
          shard,
          up: null,
          players: null,
          tickP99Seconds: null,
          tickLoad: null,
          overrunsPerSecond: null,
          level: 'crit',
        }),
      ),
      zones: [],
    };
  }

  #picture(now: EngineReading, base: Timed | undefined, atMs: number): DashboardSnapshot {
    const seconds = base === undefined ? 0 : (atMs - base.at) / 1000;
    const before = base?.reading;
    const rate = (pick: (r: EngineReading) => number | null): number | null => {
      if (before === undefined || seconds <= 0) return null;
      const a = pick(before);
      const b = pick(now);
      return a === null || b === null ? null : Math.max(0, b - a) / seconds;
    };
    const period = now.tickPeriodSeconds ?? DEFAULT_TICK_PERIOD_SECONDS;
    const latency = (q: number) =>
      before === undefined ? null : quantileBetween(q, before.commandBuckets, now.commandBuckets);
    const shards = this.#shards(now, before, seconds, period);
    const values: Record<FigureId, number | null> = {
      players: now.players,
      commandsPerSecond: rate((r) => r.commands),
      commandLatencyP50: latency(0.5),
      commandLatencyP95: latency(0.95),
      commandLatencyP99: latency(0.99),
      tickLoad: maxOf(shards.map((s) => s.tickLoad)),
      tickOverrunsPerSecond: before === undefined ? null : sumOf(shards.map((s) => s.overrunsPerSecond)),
      eventLoopLag: now.eventLoopLagSeconds,
      memoryPerPlayer: now.players !== null && now.players > 0 ? now.bytesPerPlayer : null,
      residentMemory: now.rssBytes,
      bytesInPerSecond: rate((r) => r.bytesReceived),
      bytesOutPerSecond: rate((r) => r.bytesSent),
      droppedPerSecond: rate((r) => r.dropped),
      writeBehindBacklog: now.pendingDirty,
      dbQueryP99:
        before === undefined ? null : quantileBetween(0.99, before.dbQueryBuckets, now.dbQueryBuckets),
      dbErrorsPerSecond: now.pendingDirty === null ? null : (rate((r) => r.dbErrors) ?? (before ? 0 : null)),
      shardsUp: shards.length === 0 ? null : shards.filter((s) => s.up === true).length / shards.length,
      lastTickAge: maxOf([...now.shards.values()].map((s) => s.lastTickAgeSeconds)),
      enginesUp: 1,
      hostCpu: null,
      hostMemory: null,
      hostDisk: null,
      hostNetworkIn: null,
      hostNetworkOut: null,
      pgConnections: null,
      pgTransactionsPerSecond: null,
      pgLocks: null,
      pgCacheHitRatio: null,
    };
    const figures: FigureReading[] = NODE_FIGURES.map((id) => readFigure(id, values[id], this.#history));
    const latencyP99 = values.commandLatencyP99;
    const node = withNodeText({
      node: this.target,
      up: true,
      players: now.players,
      commandsPerSecond: values.commandsPerSecond,
      latencyP99Seconds: latencyP99,
      level: worseLevel('ok', figureLevel(FIGURES.commandLatencyP99, latencyP99)),
    });
    const zones: ZoneRow[] = now.zones
      .map((z) => ({ node: this.target, ...z }))
      .sort((a, b) => b.players - a.players || a.zone.localeCompare(b.zone));
    return {
      source: { kind: 'node', target: this.target },
      at: atMs,
      reachable: true,
      tickPeriodSeconds: now.tickPeriodSeconds,
      tickPeriodText: tickPeriodText(now.tickPeriodSeconds),
      figures,
      nodes: [node],
      shards,
      zones,
    };
  }

  #shards(
    now: EngineReading,
    before: EngineReading | undefined,
    seconds: number,
    period: number,
  ): ShardRow[] {
    const rows: ShardRow[] = [];
    for (const [shard, s] of now.shards) {
      const old = before?.shards.get(shard);
      const p99 =
        before === undefined ? null : quantileBetween(0.99, old?.tickBuckets ?? null, s.tickBuckets);
      const tickLoad = p99 === null ? null : p99 / period;
      // A labelled counter has no series until its first increment: absent before means 0 then.
      const overruns =
        old === undefined || seconds <= 0 || s.overruns === null
          ? null
          : Math.max(0, s.overruns - (old.overruns ?? 0)) / seconds;
      const up = s.up === null ? null : s.up >= 1;
      const level =
        up === false
          ? 'crit'
          : worseLevel(
              worseLevel('ok', figureLevel(FIGURES.tickLoad, tickLoad)),
              figureLevel(FIGURES.tickOverrunsPerSecond, overruns),
            );
      rows.push(
        withShardText({
          node: this.target,
          shard,
          up,
          players: s.players,
          tickP99Seconds: p99,
          tickLoad,
          overrunsPerSecond: overruns,
          level,
        }),
      );
    }
    return rows;
  }
}

/** A counter that went down: the engine behind the target is a new process. */
function restarted(before: EngineReading, now: EngineReading): boolean {
  const down = (a: number | null, b: number | null) => a !== null && b !== null && b < a;
  return down(before.commands, now.commands) || down(before.bytesReceived, now.bytesReceived);
}

function maxOf(values: readonly (number | null)[]): number | null {
  let result: number | null = null;
  for (const v of values) if (v !== null) result = result === null ? v : Math.max(result, v);
  return result;
}

function sumOf(values: readonly (number | null)[]): number | null {
  let result: number | null = null;
  for (const v of values) if (v !== null) result = (result ?? 0) + v;
  return result;
}
