import type { IntervalHistogram, RecordableHistogram } from 'node:perf_hooks';

/** How long one window of event-loop delays lasts: Prometheus's default scrape interval. */
export const LOOP_DELAY_WINDOW_MS = 15_000;

const NS_PER_S = 1e9;

export interface LoopDelayReading {
  /** p99 delay, in seconds. */
  readonly p99: number;
  /** Largest delay, in seconds. */
  readonly max: number;
}

const NONE: LoopDelayReading = Object.freeze({ p99: 0, max: 0 });

/**
 * A thread's event-loop delays in fixed windows, read by anyone without taking them from anyone
 * else. Reading used to reset the histogram, which was right with one reader (Prometheus, every 15
 * s) and wrong with two: the `/dashboard` page samples every second, and Prometheus then saw only
 * the last second's delays. Now a reading reports the worse of the last completed window and the
 * current one, and a window closes only after `windowMs`, whoever reads; so a delay stays visible
 * for between one and two windows, and a scrape every `windowMs` or more often sees every one.
 */
export class LoopDelayWindow {
  readonly #delays: IntervalHistogram | RecordableHistogram;
  readonly #windowMs: number;
  readonly #now: () => number;
  #previous: LoopDelayReading = NONE;
  #windowStart: number;

  constructor(
    delays: IntervalHistogram | RecordableHistogram,
    windowMs = LOOP_DELAY_WINDOW_MS,
    now: () => number = () => performance.now(),
  ) {
    this.#delays = delays;
    this.#windowMs = windowMs;
    this.#now = now;
    this.#windowStart = now();
  }

  read(): LoopDelayReading {
    const d = this.#delays;
    const current = d.count > 0 ? { p99: d.percentile(99) / NS_PER_S, max: d.max / NS_PER_S } : NONE;
    const reading = {
      p99: Math.max(current.p99, this.#previous.p99),
      max: Math.max(current.max, this.#previous.max),
    };
    const now = this.#now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#previous = current;
      d.reset();
      this.#windowStart = now;
    }
    return reading;
  }

  /**
   * Forgets everything so far: for a thread that has finished starting, whose module loading and
   * start-up work would otherwise read as a stalled loop for its first windows.
   */
  restart(): void {
    this.#delays.reset();
    this.#previous = NONE;
    this.#windowStart = this.#now();
  }
}
