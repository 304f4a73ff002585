import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { USERNAME_PATTERN } from '../limits.js';
import { isUsername } from './field-checks.js';

describe('isUsername', () => {
  it('agrees with USERNAME_PATTERN, which it stands in for', () => {
    for (const s of [
      'a',
      'Player_1',
      'x-y',
      `A${'b'.repeat(31)}`,
      '',
      '1a',
      '_a',
      'a b',
      'é',
      `A${'b'.repeat(32)}`,
      'a\n',
      'Z',
      'z9',
      '@a',
      'a@',
      '[a',
      'a`',
      '{',
    ]) {
      expect(isUsername(s), JSON.stringify(s)).toBe(USERNAME_PATTERN.test(s));
    }
    // Strings mostly of the characters at the edges of each range, of every length around 32.
    const near = fc.constantFrom(...'@AZ[`az{/09:_-^ \n\u00e9'.split(''));
    const username = fc.oneof(
      fc.string({ unit: near, maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.stringMatching(USERNAME_PATTERN),
      fc.stringMatching(USERNAME_PATTERN).map((s) => `${s}x`),
    );
    fc.assert(
      fc.property(username, (s) => {
        expect(isUsername(s)).toBe(USERNAME_PATTERN.test(s));
      }),
      { numRuns: 2000 },
    );
  });
});
