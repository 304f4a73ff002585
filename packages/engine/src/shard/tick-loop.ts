// Imported rather than the global accessor: see gateway/input-handler.ts.
import { performance } from 'node:perf_hooks';

/** This thread's time origin, read once: the getter is not free and it never changes. */
const ORIGIN = performance.timeOrigin;

/** Epoch milliseconds with sub-millisecond precision, comparable across threads of a process. */
export function epochNow(): number {
  return ORIGIN + performance.now();
}

export interface TickLoopOptions {
  /**
   * Ticks per second.
   * @default 10
   */
  readonly hz: number;
  /**
   * Runs one tick. `dt` is the real time since the previous tick, in ms; `late` how long after its
   * slot this tick started, in ms (the thread's event-loop delay, measured every tick).
   */
  readonly onTick: (tick: number, now: number, dt: number, late: number) => void;
  /** Called after a tick that ran past its slot: its duration, and how many slots were skipped. */
  readonly onOverrun?: (durationMs: number, skipped: number) => void;
  /** Clock in epoch ms. @default epochNow */
  readonly now?: () => number;
}

/**
 * A fixed-rate tick loop with drift correction: tick k is due at `base + k × period` (not "period
 * after the previous one"), so timer lateness does not accumulate.
 *
 * Catch-up policy, when a tick ends after the next one was due:
 * - late by less than one period: the next tick runs at once (setImmediate), so the average rate
 *   holds after a single slow tick;
 * - late by a period or more: the missed slots are skipped (counted as overruns), never run
 *   back-to-back, and the schedule continues from the next slot. Game code sees the real elapsed
 *   time in `dt`, so movement stays correct; a burst of catch-up ticks would only starve the
 *   gateways' input and make the overload worse.
 */
export class TickLoop {
  readonly periodMs: number;
  readonly #onTick: TickLoopOptions['onTick'];
  readonly #onOverrun: TickLoopOptions['onOverrun'];
  readonly #now: () => number;
  #base = 0;
  #slot = 0;
  #tick = 0;
  #lastStart = 0;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  #running = false;
  #overruns = 0;

  constructor(options: TickLoopOptions) {
    if (!(options.hz > 0 && options.hz <= 1000))
      throw new RangeError(`tick rate must be in (0, 1000], got ${options.hz}`);
    this.periodMs = 1000 / options.hz;
    this.#onTick = options.onTick;
    this.#onOverrun = options.onOverrun;
    this.#now = options.now ?? epochNow;
  }

  /** Number of ticks run. */
  get tick(): number {
    return this.#tick;
  }

  get overruns(): number {
    return this.#overruns;
  }

  /** Epoch ms at which the next tick is due. */
  get nextTickAt(): number {
    return this.#base + this.#slot * this.periodMs;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#base = this.#now();
    this.#lastStart = this.#base;
    this.#slot = 0;
    this.#schedule(0);
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
      this.#timer = undefined;
    }
  }

  #schedule(delay: number): void {
    this.#timer = delay <= 0 ? setImmediate(this.#run) : setTimeout(this.#run, delay);
  }

  readonly #run = (): void => {
    if (!this.#running) return;
    this.#timer = undefined;
    const start = this.#now();
    const dt = start - this.#lastStart;
    const late = Math.max(0, start - this.nextTickAt);
    this.#lastStart = start;
    this.#tick++;
    this.#slot++;
    try {
      this.#onTick(this.#tick, start, dt, late);
    } finally {
      if (this.#running) this.#next(start);
    }
  };

  #next(start: number): void {
    const end = this.#now();
    const due = this.nextTickAt;
    if (end <= due) {
      this.#schedule(due - end);
      return;
    }
    const late = end - due;
    let skipped = 0;
    if (late >= this.periodMs) {
      skipped = Math.floor(late / this.periodMs);
      this.#slot += skipped;
    }
    this.#overruns += 1 + skipped;
    this.#onOverrun?.(end - start, skipped);
    this.#schedule(this.nextTickAt - end);
  }
}
