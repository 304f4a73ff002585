import { FIGURES, type FigureId, figureLevel } from '../metrics/figures.js';
import type { FigureReading, NodeRow, ShardRow } from './dashboard-snapshot.js';
import type { FigureHistory } from './figure-history.js';
import { formatFigure, MISSING } from './format-figure.js';

/**
 * One figure's value, written, judged and remembered: what every sampler hands to the snapshot.
 * Non-finite values (a quantile over nothing) count as missing.
 */
export function readFigure(
  id: FigureId,
  raw: number | null | undefined,
  history: FigureHistory,
): FigureReading {
  const figure = FIGURES[id];
  const value = raw === null || raw === undefined || !Number.isFinite(raw) ? null : raw;
  const fill =
    value === null || figure.meterMax === undefined
      ? null
      : Math.min(1, Math.max(0, value / figure.meterMax));
  return {
    id,
    title: figure.title,
    unit: figure.unit,
    value,
    text: formatFigure(value, figure.unit),
    level: figureLevel(figure, value),
    fill,
    history: history.push(id, value),
  };
}

/** The worse of two levels (crit > warn > ok > none). */
export function worseLevel(a: FigureReading['level'], b: FigureReading['level']): FigureReading['level'] {
  const rank = { none: 0, ok: 1, warn: 2, crit: 3 } as const;
  return rank[a] >= rank[b] ? a : b;
}

/** A node row with its figures written, as every view shows them. */
export function withNodeText(row: Omit<NodeRow, 'text'>): NodeRow {
  return {
    ...row,
    text: {
      players: formatFigure(row.players, 'count'),
      commandsPerSecond: formatFigure(row.commandsPerSecond, 'perSecond'),
      latencyP99: formatFigure(row.latencyP99Seconds, 'seconds'),
    },
  };
}

/** A shard row with its figures written, as every view shows them. */
export function withShardText(row: Omit<ShardRow, 'text'>): ShardRow {
  return {
    ...row,
    text: {
      players: formatFigure(row.players, 'count'),
      tickP99: formatFigure(row.tickP99Seconds, 'seconds'),
      tickLoad: formatFigure(row.tickLoad, 'ratio'),
      overrunsPerSecond: formatFigure(row.overrunsPerSecond, 'perSecond'),
    },
  };
}

/** `100 ms (10 Hz)`, or `—` when the tick period is not reported. */
export function tickPeriodText(seconds: number | null): string {
  return seconds === null || !(seconds > 0)
    ? MISSING
    : `${formatFigure(seconds, 'seconds')} (${formatFigure(1 / seconds, 'perSecond').replace('/s', ' Hz')})`;
}
