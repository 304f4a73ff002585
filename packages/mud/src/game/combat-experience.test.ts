import { describe, expect, it } from 'vitest';
import { experienceShares } from './combat-experience.js';

const everyone = new Set(['ann', 'bo', 'cy']);

describe('experience shares', () => {
  it('splits by damage dealt, rounded down, the remainder to the killer', () => {
    // 50 × 9/15 = 30 and 50 × 6/15 = 20: exact.
    expect(experienceShares(50, { ann: 9, bo: 6 }, everyone, 'bo')).toEqual(
      new Map([
        ['ann', 30],
        ['bo', 20],
      ]),
    );
    // 50 / 3 each = 16.67: 16, 16, and the killer 16 + 2.
    expect(experienceShares(50, { ann: 4, bo: 4, cy: 4 }, everyone, 'cy')).toEqual(
      new Map([
        ['ann', 16],
        ['bo', 16],
        ['cy', 18],
      ]),
    );
  });

  it('leaves out who is no longer there, without shrinking the others', () => {
    const shares = experienceShares(50, { ann: 10, bo: 10, cy: 30 }, new Set(['ann', 'bo']), 'ann');
    expect(shares).toEqual(
      new Map([
        ['ann', 25],
        ['bo', 25],
      ]),
    );
  });

  it('gives a scratch its rounded-down share, maybe 0, and a lone killer everything', () => {
    const shares = experienceShares(5, { ann: 1, bo: 99 }, everyone, 'bo');
    expect(shares).toEqual(
      new Map([
        ['ann', 0],
        ['bo', 5],
      ]),
    );
    expect(experienceShares(50, { ann: 14 }, everyone, 'ann')).toEqual(new Map([['ann', 50]]));
    // No record at all (lost to a world edit): the killer takes it all, as before sharing.
    expect(experienceShares(50, {}, everyone, 'cy')).toEqual(new Map([['cy', 50]]));
  });
});
