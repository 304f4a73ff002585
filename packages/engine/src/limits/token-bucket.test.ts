import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedRateLimiter } from './keyed-rate-limiter.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.take(99)).toBe(false); // 0.99 of a token
    expect(bucket.take(100)).toBe(true); // one token per 100 ms at 10/s
    expect(bucket.take(100)).toBe(false);
  });

  it('never holds more than the burst, however long it idles', () => {
    const bucket = new TokenBucket(1000, 5, 0);
    expect(bucket.available(1e9)).toBe(5);
    expect(bucket.isFull(1e9)).toBe(true);
  });

  it('takes several tokens at once, or none', () => {
    const bucket = new TokenBucket(1, 4, 0);
    expect(bucket.take(0, 3)).toBe(true);
    expect(bucket.take(0, 2)).toBe(false);
    expect(bucket.available(0)).toBe(1);
    expect(bucket.waitTime(0, 2)).toBe(1000);
    expect(bucket.waitTime(1000, 2)).toBe(0);
  });

  it('supports fractional rates (one every two seconds)', () => {
    const bucket = new TokenBucket(0.5, 1, 0);
    expect(bucket.take(0)).toBe(true);
    expect(bucket.take(1999)).toBe(false);
    expect(bucket.take(2000)).toBe(true);
  });

  it('gains nothing from a clock that goes backwards', () => {
    const bucket = new TokenBucket(10, 1, 1000);
    expect(bucket.take(1000)).toBe(true);
    expect(bucket.take(0)).toBe(false);
    expect(bucket.take(1050)).toBe(false); // the backward step did not move the reference point
    expect(bucket.take(1100)).toBe(true);
  });

  it('rejects rates it cannot honour', () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0, 0)).toThrow(RangeError);
    expect(() => new TokenBucket(Number.NaN, 1, 0)).toThrow(RangeError);
  });

  it('never lets more through than burst + rate × time (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 1000, noNaN: true }),
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 300 }),
        (perSecond, burst, gaps) => {
          const bucket = new TokenBucket(perSecond, burst, 0);
          let now = 0;
          let taken = 0;
          for (const gap of gaps) {
            now += gap;
            if (bucket.take(now)) taken++;
          }
          return taken <= burst + (perSecond * now) / 1000 + 1e-9;
        },
      ),
    );
  });
});

describe('KeyedRateLimiter', () => {
  it('limits each key on its own', () => {
    const limiter = new KeyedRateLimiter({ perSecond: 1, burst: 2 });
    expect([limiter.take('a', 0), limiter.take('a', 0), limiter.take('a', 0)]).toEqual([true, true, false]);
    expect(limiter.take('b', 0)).toBe(true);
    expect(limiter.take('a', 1000)).toBe(true);
  });

  it('stays bounded, forgetting refilled keys first', () => {
    const limiter = new KeyedRateLimiter({ perSecond: 1, burst: 1, maxKeys: 4 });
    limiter.take('throttled', 0); // empty bucket: worth remembering
    for (let i = 0; i < 3; i++) limiter.take(`k${i}`, 0);
    // At 500 ms nothing has refilled; a new key evicts the oldest quarter (one key).
    limiter.take('new', 500);
    expect(limiter.size).toBeLessThanOrEqual(4);
    // At 10 s every bucket is full again: they are all dropped on the next insertion.
    limiter.take('later', 10_000);
    expect(limiter.size).toBe(1);
    for (let i = 0; i < 1000; i++) limiter.take(`flood${i}`, 20_000);
    expect(limiter.size).toBeLessThanOrEqual(4);
  });

  it('rejects a bad rate at construction', () => {
    expect(() => new KeyedRateLimiter({ perSecond: -1, burst: 1 })).toThrow(RangeError);
  });
});
