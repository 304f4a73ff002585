import { performance } from 'node:perf_hooks';

/** Something with deadlines to enforce: a session with requests in flight. */
export interface Expirable {
  /** Rejects what is overdue at `now`; returns whether anything is still pending. */
  expire(now: number): boolean;
}

/**
 * One timer per worker for every request timeout, instead of a setTimeout/clearTimeout pair per
 * request. Measured on the round-trip benchmark (benchmarks/src/loadgen): the per-request timer
 * pair was the largest single cost of the client after JSON and the socket write. Timeouts fire
 * up to `resolutionMs` late, which is nothing next to timeouts of seconds.
 */
export class DeadlineSweeper {
  readonly #resolutionMs: number;
  readonly #watched = new Set<Expirable>();
  #timer: NodeJS.Timeout | undefined;

  /** @param resolutionMs How often deadlines are checked. @default 50 (ms) */
  constructor(resolutionMs = 50) {
    this.#resolutionMs = resolutionMs;
  }

  /** Watches `item` until its `expire` reports nothing pending. */
  watch(item: Expirable): void {
    this.#watched.add(item);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#sweep(), this.#resolutionMs);
      this.#timer.unref();
    }
  }

  #sweep(): void {
    const now = performance.now();
    for (const item of this.#watched) if (!item.expire(now)) this.#watched.delete(item);
    if (this.#watched.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
