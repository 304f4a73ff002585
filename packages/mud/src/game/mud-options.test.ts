import { describe, expect, it } from 'vitest';
import { parseMudOptions } from './mud-options.js';

describe('parseMudOptions: builderRole', () => {
  it('is "builder" unless the options name another role', () => {
    expect(parseMudOptions({ world: '/w' }).builderRole).toBe('builder');
    expect(parseMudOptions({ world: '/w', builderRole: 'wizard' }).builderRole).toBe('wizard');
  });
  it('refuses what is not a role name', () => {
    expect(() => parseMudOptions({ world: '/w', builderRole: '' })).toThrow(
      'gameOptions.builderRole: expected a role name',
    );
    expect(() => parseMudOptions({ world: '/w', builderRole: 3 })).toThrow(
      'gameOptions.builderRole: expected a role name',
    );
  });
});
