import { describe, expect, it } from 'vitest';
import { closestWord, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps', () => {
    expect(editDistance('look', 'look')).toBe(0);
    expect(editDistance('lok', 'look')).toBe(1);
    expect(editDistance('looka', 'look')).toBe(1);
    expect(editDistance('lxok', 'look')).toBe(1);
    expect(editDistance('teh', 'the')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('stops early above the bound and says so with max + 1', () => {
    expect(editDistance('inventory', 'shout', 2)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });
});

describe('closestWord', () => {
  const commands = ['look', 'say', 'shout', 'inventory', 'examine', 'teleport'];
  it('finds a typo', () => {
    expect(closestWord('lokk', commands)).toBe('look');
    expect(closestWord('invetnory', commands)).toBe('inventory');
    expect(closestWord('exmaine', commands)).toBe('examine');
  });
  it('gives nothing for words far from every candidate', () => {
    expect(closestWord('dance', commands)).toBeUndefined();
    expect(closestWord('xy', commands)).toBeUndefined();
  });
  it('is case-insensitive', () => {
    expect(closestWord('SHOTU', commands)).toBe('shout');
  });
});
