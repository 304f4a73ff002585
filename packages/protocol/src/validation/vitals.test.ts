import { describe, expect, it } from 'vitest';
import type { VitalsMessage } from '../messages.js';
import { isVitalsMessage, vitalsProblem } from './vitals.js';

const good: VitalsMessage = {
  type: 'vitals',
  health: 30,
  maxHealth: 30,
  energy: 20,
  maxEnergy: 20,
  level: 1,
  xp: 0,
  toNextLevel: 100,
};

describe('vitals messages', () => {
  it('takes a whole message, and one at zero health and energy', () => {
    expect(vitalsProblem(good)).toBeUndefined();
    expect(isVitalsMessage({ ...good, health: 0, energy: 0, toNextLevel: 0 })).toBe(true);
  });

  it('ignores fields it does not know, as clients must within a protocol version', () => {
    expect(isVitalsMessage({ ...good, stamina: 5 })).toBe(true);
  });

  it.each([
    [null, 'not an object'],
    [[good], 'not an object'],
    [{ ...good, type: 'room' }, '"type" is not "vitals"'],
    [{ ...good, health: undefined }, '"health" is not a whole number of at least 0'],
    [{ ...good, maxHealth: '30' }, '"maxHealth" is not a whole number of at least 0'],
    [{ ...good, energy: -1 }, '"energy" is not a whole number of at least 0'],
    [{ ...good, maxEnergy: 2.5 }, '"maxEnergy" is not a whole number of at least 0'],
    [{ ...good, xp: Number.NaN }, '"xp" is not a whole number of at least 0'],
    [{ ...good, toNextLevel: Number.POSITIVE_INFINITY }, '"toNextLevel" is not a whole number of at least 0'],
    [{ ...good, level: 0 }, '"level" is below 1'],
    [{ ...good, health: 31 }, '"health" is above "maxHealth"'],
    [{ ...good, energy: 21 }, '"energy" is above "maxEnergy"'],
  ])('refuses %j: %s', (value, problem) => {
    expect(vitalsProblem(value)).toBe(problem);
    expect(isVitalsMessage(value)).toBe(false);
  });
});
