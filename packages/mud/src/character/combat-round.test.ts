import { describe, expect, it } from 'vitest';
import { considerLevels, hitChance, regenAmount, seededRandom, swing } from './combat-round.js';

/** A source that returns the given numbers in turn. */
function scripted(...values: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error('the round asked for more random numbers than scripted');
    return values[i++]!;
  };
}

describe('combat rounds', () => {
  it('lands 60 % of swings between equals, more with a better attack, within 10..95 %', () => {
    expect(hitChance({ attack: 5, armor: 0 }, { attack: 0, armor: 5 })).toBeCloseTo(0.6);
    expect(hitChance({ attack: 9, armor: 0 }, { attack: 0, armor: 5 })).toBeCloseTo(0.8);
    expect(hitChance({ attack: 100, armor: 0 }, { attack: 0, armor: 0 })).toBe(0.95);
    expect(hitChance({ attack: 0, armor: 0 }, { attack: 0, armor: 100 })).toBe(0.1);
  });

  it('misses when the roll is at or above the chance, and draws no damage then', () => {
    expect(swing({ attack: 6, armor: 0 }, { attack: 0, armor: 2 }, scripted(0.9))).toBe(0);
  });

  it('deals half the attack plus a roll, less half the armor, at least 1', () => {
    const me = { attack: 6, armor: 2 };
    // Base 3, roll 0..3 → 3..6, armor 2 takes 1.
    expect(swing(me, { attack: 0, armor: 2 }, scripted(0, 0))).toBe(2);
    expect(swing(me, { attack: 0, armor: 2 }, scripted(0, 0.99))).toBe(5);
    expect(swing({ attack: 1, armor: 0 }, { attack: 0, armor: 40 }, scripted(0, 0))).toBe(1);
  });

  it('puts level differences in words', () => {
    expect(considerLevels(10, 1)).toBe('is no match for you at all');
    expect(considerLevels(3, 1)).toBe('should be an easy fight');
    expect(considerLevels(1, 2)).toBe('looks like a fair fight');
    expect(considerLevels(1, 4)).toBe('would be a hard fight');
    expect(considerLevels(1, 6)).toBe('would kill you');
  });

  it('repeats itself for one seed and differs between seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(c()).not.toBe(first[0]);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  it('regenerates a tenth of the maximum, at least 1', () => {
    expect(regenAmount(30)).toBe(3);
    expect(regenAmount(5)).toBe(1);
  });
});
