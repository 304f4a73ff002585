import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';

/**
 * How long past its stop a worker may take to report that it is done before it is terminated: the
 * stop is the end of its scenarios' `gracefulStop`, or a stop request (SIGINT, an abortOnFail
 * threshold) plus the longest `gracefulStop`. @default 30000 (ms)
 */
export const WORKER_STOP_TIMEOUT_MS = 30_000;

/** A running worker that sent no interval for this many intervals (and at least 2 s) is reported. */
const SILENT_INTERVALS = 5;

export interface WatchdogOptions {
  workers: readonly Worker[];
  /** performance.now() at which every scenario has ended, its gracefulStop included. */
  endAt: number;
  /** The longest gracefulStop of the scenarios: how long a stop request may take. */
  gracefulStopMs: number;
  /** See WORKER_STOP_TIMEOUT_MS. */
  stopTimeoutMs: number;
  intervalMs: number;
  warn: (message: string) => void;
}

/**
 * Ends the workers that never finish. A worker reports every interval from its event loop; a
 * scenario that never gives it back (a synchronous endless loop, `while (true) {}`) stops those
 * reports and never hears a stop, so the run would wait for it forever: a CI job hung until its own
 * timeout, with no results. The watchdog warns once a worker has been silent for
 * SILENT_INTERVALS intervals, and terminates a worker still running `stopTimeoutMs` past its stop
 * (Worker.terminate() stops even a busy loop); the run then ends as with a crashed worker, with
 * what the worker reported before.
 */
export class WorkerWatchdog {
  readonly #o: WatchdogOptions;
  #deadline: number;
  readonly #heardAt: number[];
  readonly #warnedSilent: boolean[];
  readonly #finished = new Set<number>();
  readonly #terminated = new Set<number>();
  readonly #timer: NodeJS.Timeout;

  constructor(options: WatchdogOptions) {
    this.#o = options;
    this.#deadline = options.endAt + options.stopTimeoutMs;
    const now = performance.now();
    this.#heardAt = options.workers.map(() => now);
    this.#warnedSilent = options.workers.map(() => false);
    const every = Math.min(1000, Math.max(50, options.intervalMs));
    this.#timer = setInterval(() => this.#check(), every);
    // The workers keep the process alive while they run; this timer must not once they have gone.
    this.#timer.unref();
  }

  /** Worker `index` reported (an interval or its end). */
  heard(index: number): void {
    this.#heardAt[index] = performance.now();
    this.#warnedSilent[index] = false;
  }

  /** Worker `index` is done, crashed or exited: nothing more to watch. */
  finished(index: number): void {
    this.#finished.add(index);
  }

  /** The test was asked to stop: the workers have the longest gracefulStop, then the stop timeout. */
  stopRequested(): void {
    const deadline = performance.now() + this.#o.gracefulStopMs + this.#o.stopTimeoutMs;
    this.#deadline = Math.min(this.#deadline, deadline);
  }

  /** Whether the watchdog terminated worker `index` (it has warned why). */
  terminated(index: number): boolean {
    return this.#terminated.has(index);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #check(): void {
    const now = performance.now();
    const silentAfterMs = Math.max(2000, SILENT_INTERVALS * this.#o.intervalMs);
    this.#o.workers.forEach((worker, index) => {
      if (this.#finished.has(index) || this.#terminated.has(index)) return;
      if (now >= this.#deadline) {
        this.#terminated.add(index);
        this.#o.warn(
          `load generator worker ${index} did not finish within ${seconds(this.#o.stopTimeoutMs)} of the test's stop and was terminated: its event loop is blocked (a scenario that never returns to it, such as a synchronous endless loop) or its VUs never finished; the results hold what it reported before`,
        );
        void worker.terminate();
        return;
      }
      const silentMs = now - (this.#heardAt[index] as number);
      if (silentMs >= silentAfterMs && !this.#warnedSilent[index]) {
        this.#warnedSilent[index] = true;
        this.#o.warn(
          `load generator worker ${index} has reported nothing for ${seconds(silentMs)}: its event loop is blocked (a synchronous loop in the scenario?); it is terminated if it has not finished ${seconds(this.#o.stopTimeoutMs)} after the test's stop`,
        );
      }
    });
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
