import type { FigureId } from '../metrics/figures.js';

/** Samples kept per figure by default: three minutes at one sample a second. */
export const DEFAULT_HISTORY_POINTS = 180;

/**
 * The last samples of each figure, for sparklines: a bounded list per figure, oldest first
 * (`null` where a sample had no value, so a gap stays a gap).
 */
export class FigureHistory {
  readonly points: number;
  readonly #series = new Map<FigureId, Array<number | null>>();

  constructor(points: number = DEFAULT_HISTORY_POINTS) {
    if (!Number.isInteger(points) || points < 1)
      throw new RangeError(`history points must be ≥ 1, got ${points}`);
    this.points = points;
  }

  /** Appends `value` to the figure's series and returns the series (a copy, safe to keep). */
  push(id: FigureId, value: number | null): readonly (number | null)[] {
    let series = this.#series.get(id);
    if (series === undefined) {
      series = [];
      this.#series.set(id, series);
    }
    series.push(value);
    if (series.length > this.points) series.splice(0, series.length - this.points);
    return series.slice();
  }
}
