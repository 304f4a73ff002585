/** Options of the helpers that poll until something happens (a task ends, a lock clears). */
export interface PveWaitOptions {
  readonly signal?: AbortSignal;
  /**
   * Give up after this long, in milliseconds.
   * @default 600_000 (clones of large disks take minutes)
   */
  readonly timeoutMs?: number;
  /**
   * First poll interval, in milliseconds; it grows ×1.5 per poll.
   * @default 100
   */
  readonly pollMinMs?: number;
  /**
   * Largest poll interval, in milliseconds.
   * @default 2000
   */
  readonly pollMaxMs?: number;
}

export const DEFAULT_WAIT_TIMEOUT_MS = 600_000;

/** The poll intervals: pollMin, ×1.5 each time, capped at pollMax. */
export function* pollDelays(opts: PveWaitOptions): Generator<number> {
  const max = opts.pollMaxMs ?? 2000;
  let d = Math.min(opts.pollMinMs ?? 100, max);
  for (;;) {
    yield d;
    d = Math.min(max, Math.ceil(d * 1.5));
  }
}
