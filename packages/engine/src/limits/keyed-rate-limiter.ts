import { TokenBucket } from './token-bucket.js';

export interface KeyedRateLimiterOptions {
  /** Sustained rate per key, in tokens per second. */
  perSecond: number;
  /** Bucket size per key, in tokens. */
  burst: number;
  /**
   * Most keys tracked at once; when full, buckets that have refilled are dropped first, then the
   * oldest. Bounds memory against an attacker cycling source addresses.
   * @default 10000
   */
  maxKeys?: number;
}

/**
 * One token bucket per key (a remote address for login attempts), bounded in memory. A full bucket
 * carries no state worth keeping, so it is forgotten: an address that behaves costs nothing.
 */
export class KeyedRateLimiter {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #maxKeys: number;
  /** Insertion-ordered, so the first entries are the oldest. */
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(options: KeyedRateLimiterOptions) {
    this.#perSecond = options.perSecond;
    this.#burst = options.burst;
    this.#maxKeys = options.maxKeys ?? 10_000;
    // Validate once, now, rather than on the first take().
    new TokenBucket(this.#perSecond, this.#burst, 0);
  }

  /** Takes a token for `key` at `now` (milliseconds, monotonic); false when the key is over its rate. */
  take(key: string, now: number, count = 1): boolean {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) this.#evict(now);
      bucket = new TokenBucket(this.#perSecond, this.#burst, now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take(now, count);
  }

  /** Number of keys tracked. */
  get size(): number {
    return this.#buckets.size;
  }

  #evict(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.isFull(now)) this.#buckets.delete(key);
    }
    // Still full of throttled keys: drop the oldest quarter rather than grow.
    if (this.#buckets.size >= this.#maxKeys) {
      let drop = Math.max(1, Math.floor(this.#maxKeys / 4));
      for (const key of this.#buckets.keys()) {
        if (drop-- <= 0) break;
        this.#buckets.delete(key);
      }
    }
  }
}
