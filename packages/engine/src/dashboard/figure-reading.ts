import { FIGURES, type FigureId, figureLevel } from '../metrics/figures.js';
import type { FigureReading } from './dashboard-snapshot.js';
import type { FigureHistory } from './figure-history.js';
import { formatFigure } from './format-figure.js';

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
