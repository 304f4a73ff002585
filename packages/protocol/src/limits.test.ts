import { describe, expect, it } from 'vitest';
import { LineSplitter } from './framing/line-splitter.js';
import { DEFAULT_LIMITS, resolveLimits, USERNAME_PATTERN } from './limits.js';

describe('limits', () => {
  it('resolves overrides over the defaults, frozen', () => {
    const limits = resolveLimits({ maxFrameBytes: 1024 });
    expect(limits).toEqual({ ...DEFAULT_LIMITS, maxFrameBytes: 1024 });
    expect(Object.isFrozen(limits)).toBe(true);
    expect(resolveLimits()).toEqual(DEFAULT_LIMITS);
  });

  it.each([Number.NaN, 0, -1, 1.5, Number.POSITIVE_INFINITY])(
    'refuses %s as a limit, which would disable its check',
    (bad) => {
      expect(() => resolveLimits({ maxLineBytes: bad })).toThrow(RangeError);
      expect(
        () =>
          new LineSplitter(
            () => {},
            () => {},
            { maxLineBytes: bad },
          ),
      ).toThrow(RangeError);
    },
  );

  it('matches the username pattern to the documented rule', () => {
    for (const ok of ['a', 'Player_1', 'x-y', `A${'b'.repeat(31)}`])
      expect(USERNAME_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['', '1a', '_a', 'a b', 'é', `A${'b'.repeat(32)}`, 'a\n']) {
      expect(USERNAME_PATTERN.test(bad), bad).toBe(false);
    }
  });
});
