import type { DashboardSnapshot, FigureReading } from '../../../dashboard/dashboard-snapshot.js';
import { MISSING } from '../../../dashboard/format-figure.js';
import { FIGURES, type FigureId } from '../../../metrics/figures.js';

/** The meters of the overview, in this order: what is red when players feel it. */
export const METER_FIGURES: readonly FigureId[] = [
  'commandLatencyP50',
  'commandLatencyP95',
  'commandLatencyP99',
  'tickLoad',
  'eventLoopLag',
  'writeBehindBacklog',
  'dbQueryP99',
  'shardsUp',
];

/** The numbers with a sparkline, in this order. */
export const NUMBER_FIGURES: readonly FigureId[] = [
  'players',
  'commandsPerSecond',
  'memoryPerPlayer',
  'bytesInPerSecond',
  'bytesOutPerSecond',
];

/**
 * The snapshot's reading of a figure, or a blank one (`—`, no level) when the source has none yet
 * (before the first sample, the target down, a figure this source does not give): the screen keeps
 * its shape instead of rows coming and going.
 */
export function readingOf(snapshot: DashboardSnapshot | undefined, id: FigureId): FigureReading {
  const reading = snapshot?.figures.find((f) => f.id === id);
  if (reading !== undefined) return reading;
  const figure = FIGURES[id];
  return {
    id,
    title: figure.title,
    unit: figure.unit,
    value: null,
    text: MISSING,
    level: 'none',
    fill: null,
    history: [],
  };
}

/** The figures the snapshot carries beyond the meters and numbers (overruns, RSS, host, Postgres…). */
export function otherReadings(snapshot: DashboardSnapshot | undefined): FigureReading[] {
  const shown = new Set<FigureId>([...METER_FIGURES, ...NUMBER_FIGURES]);
  return (snapshot?.figures ?? []).filter((f) => !shown.has(f.id));
}
