import type { Summary } from '../../summary/summary.js';
import type { IntervalPoint, RunInfo } from '../live-output.js';
import {
  type DashboardData,
  type DashboardEnd,
  type DashboardPoint,
  type DashboardStart,
  toDashboardEnd,
  toDashboardPoint,
  toDashboardStart,
} from './dashboard-data.js';

/** One change of the run, as the live page receives it (an SSE event of that name). */
export type DashboardEvent =
  | { type: 'start'; data: DashboardStart }
  | { type: 'point'; data: DashboardPoint }
  | { type: 'end'; data: DashboardEnd };

/**
 * The whole run as the page draws it, kept from the start: a page opened mid-run, or the report
 * written at the end, shows everything since the first interval. A point is a few hundred bytes:
 * an hour at 1 s intervals is about a megabyte.
 */
export class DashboardHistory {
  readonly #data: DashboardData = { points: [] };
  readonly #listeners = new Set<(event: DashboardEvent) => void>();

  start(info: RunInfo): void {
    const data = toDashboardStart(info);
    this.#data.start = data;
    this.#emit({ type: 'start', data });
  }

  add(point: IntervalPoint): void {
    const p = toDashboardPoint(point);
    this.#data.points.push(p);
    this.#emit({ type: 'point', data: p });
  }

  finish(summary: Summary): void {
    const data = toDashboardEnd(summary);
    this.#data.end = data;
    this.#emit({ type: 'end', data });
  }

  get data(): Readonly<DashboardData> {
    return this.#data;
  }

  get ended(): boolean {
    return this.#data.end !== undefined;
  }

  /** Calls `listener` with every change from now on; returns the unsubscribe function. */
  subscribe(listener: (event: DashboardEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: DashboardEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
