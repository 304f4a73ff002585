/**
 * The write-behind's retry delays, doubling from `baseMs` up to `maxMs`: for flushes as a whole
 * (a database outage, with jitter, and the state of that outage), and for one entity the database
 * refuses (retried alone, so it cannot hold back the others).
 */
export class RetryBackoff {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  /** Consecutive failed flushes, and when the next attempt may run (ms since epoch). */
  #failures = 0;
  #nextAttemptAt = 0;

  constructor(baseMs: number, maxMs: number, random: () => number) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
    this.#random = random;
  }

  /** First retry delay, in milliseconds. */
  get baseMs(): number {
    return this.#baseMs;
  }

  /** Consecutive failed flushes (0 when the last one succeeded). */
  get failures(): number {
    return this.#failures;
  }

  /** True while flushes are failing (the database is unreachable or refusing). */
  get degraded(): boolean {
    return this.#failures > 0;
  }

  /** Whether the backoff after failed flushes is over at `now` (ms since epoch). */
  mayAttempt(now: number): boolean {
    return now >= this.#nextAttemptAt;
  }

  /** Lets the next flush run at once, whatever the backoff (closing). */
  attemptNow(): void {
    this.#nextAttemptAt = 0;
  }

  /** Counts a failed flush; returns how long until the next attempt, in milliseconds. */
  flushFailed(): number {
    this.#failures++;
    const cap = Math.min(this.#maxMs, this.#baseMs * 2 ** (this.#failures - 1));
    // "Equal jitter": half fixed, half random, so nodes that lost the database together do not
    // come back in lockstep, and no retry comes sooner than half the backoff.
    const retryInMs = Math.round(cap / 2 + (this.#random() * cap) / 2);
    this.#nextAttemptAt = Date.now() + retryInMs;
    return retryInMs;
  }

  /** A flush succeeded: the outage, if any, is over. */
  flushSucceeded(): void {
    this.#failures = 0;
    this.#nextAttemptAt = 0;
  }

  /** Delay before an entity the database refused `failures` times is retried alone, in ms. */
  entityRetryMs(failures: number): number {
    return Math.min(this.#maxMs, this.#baseMs * 2 ** failures);
  }
}
