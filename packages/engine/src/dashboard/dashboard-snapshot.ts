import type { FigureId, FigureLevel, FigureUnit } from '../metrics/figures.js';

/**
 * One picture of an engine or a fleet, as `leviathan top` draws it and the `/dashboard` page shows
 * it: every figure already measured, written (`text`) and judged (`level`) against
 * metrics/figures.ts, so the terminal and the browser cannot disagree about a number or a colour.
 * A value the source does not have is `null` and reads `—`: missing, never a made-up zero.
 */
export interface DashboardSnapshot {
  /** Where the figures came from: one engine's `/metrics`, or a Prometheus server. */
  readonly source: { readonly kind: 'node' | 'fleet'; readonly target: string };
  /** When the sample was taken (epoch ms). */
  readonly at: number;
  /** False when the target did not answer; the figures are then all missing, `error` says why. */
  readonly reachable: boolean;
  readonly error?: string;
  /** The tick period the latency and tick figures are read against (null: not reported). */
  readonly tickPeriodSeconds: number | null;
  /** The same, written: `100 ms (10 Hz)`, `—`. */
  readonly tickPeriodText: string;
  /** Figures the source can give, in the order of metrics/figures.ts. */
  readonly figures: readonly FigureReading[];
  /** The grid: engine nodes (one in node mode). */
  readonly nodes: readonly NodeRow[];
  /** The grid: every shard of every node. */
  readonly shards: readonly ShardRow[];
  /** The busiest zones, most players first. */
  readonly zones: readonly ZoneRow[];
}

export interface FigureReading {
  readonly id: FigureId;
  readonly title: string;
  readonly unit: FigureUnit;
  readonly value: number | null;
  /** The value written for a person: `87 ms`, `3.9 KiB`, `12%`, `—` when missing. */
  readonly text: string;
  readonly level: FigureLevel;
  /** Share of the meter's full scale (0..1), or null when the figure has no meter or no value. */
  readonly fill: number | null;
  /** The last samples, oldest first (null where a sample had no value), for a sparkline. */
  readonly history: readonly (number | null)[];
}

export interface NodeRow {
  /** `host:port` of the engine. */
  readonly node: string;
  readonly up: boolean;
  readonly players: number | null;
  readonly commandsPerSecond: number | null;
  readonly latencyP99Seconds: number | null;
  /** crit when down, else the latency's level. */
  readonly level: FigureLevel;
  /** The figures above, written as their figures are (formatFigure). */
  readonly text: {
    readonly players: string;
    readonly commandsPerSecond: string;
    readonly latencyP99: string;
  };
}

export interface ShardRow {
  readonly node: string;
  readonly shard: string;
  /** null: the node does not report it (the node itself is down). */
  readonly up: boolean | null;
  readonly players: number | null;
  readonly tickP99Seconds: number | null;
  /** p99 tick time / tick period. */
  readonly tickLoad: number | null;
  readonly overrunsPerSecond: number | null;
  /** crit when down, else the worse of tick load and overruns. */
  readonly level: FigureLevel;
  /** The figures above, written as their figures are (formatFigure). */
  readonly text: {
    readonly players: string;
    readonly tickP99: string;
    readonly tickLoad: string;
    readonly overrunsPerSecond: string;
  };
}

export interface ZoneRow {
  readonly node: string;
  readonly shard: string;
  readonly zone: string;
  readonly players: number;
}
