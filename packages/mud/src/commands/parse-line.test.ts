import { describe, expect, it } from 'vitest';
import { closestWord } from './did-you-mean.js';
import { parseDirection } from './directions.js';
import { resolveCommand, splitLine } from './parse-line.js';
import { findTarget } from './targets.js';

describe('splitLine', () => {
  it('splits the command word from the rest', () => {
    expect(splitLine('  LOOK  ')).toEqual({ word: 'look', rest: '' });
    expect(splitLine('say  Hello there ')).toEqual({ word: 'say', rest: 'Hello there' });
    expect(splitLine('   ')).toBeUndefined();
  });
  it('knows the punctuation shortcuts', () => {
    expect(splitLine("'hi all")).toEqual({ word: 'say', rest: 'hi all' });
    expect(splitLine('"hi')).toEqual({ word: 'say', rest: 'hi' });
    expect(splitLine(':waves')).toEqual({ word: 'emote', rest: 'waves' });
  });
});

describe('resolveCommand', () => {
  const commands = [
    { name: 'look', aliases: ['l'] },
    { name: 'north', aliases: ['n'], hidden: true },
    { name: 'inventory', aliases: ['i'] },
    { name: 'get', aliases: ['take'] },
    { name: 'examine', aliases: ['x'] },
    { name: 'shout' },
    { name: 'say' },
    { name: 'teleport', role: 'admin' },
  ];
  const resolve = (w: string, roles: string[] = []) => {
    const r = resolveCommand(w, commands, roles, closestWord);
    return r.kind === 'command' ? r.command.name : `? ${r.suggestion ?? ''}`;
  };
  it('resolves names, aliases and prefixes in definition order', () => {
    expect(resolve('l')).toBe('look');
    expect(resolve('n')).toBe('north');
    expect(resolve('take')).toBe('get');
    expect(resolve('inv')).toBe('inventory');
    expect(resolve('exa')).toBe('examine');
    expect(resolve('s')).toBe('shout');
    expect(resolve('sa')).toBe('say');
  });
  it('suggests the closest visible command for a typo', () => {
    expect(resolve('lokk')).toBe('? look');
    expect(resolve('shuot')).toBe('? shout');
    expect(resolve('dance')).toBe('? ');
  });
  it('hides commands the roles do not allow, also from suggestions', () => {
    expect(resolve('teleport')).toBe('? ');
    expect(resolve('telport')).toBe('? ');
    expect(resolve('tele', ['admin'])).toBe('teleport');
  });
});

describe('parseDirection', () => {
  it('knows full names and short forms', () => {
    expect(parseDirection('n')).toBe('north');
    expect(parseDirection('NE')).toBe('northeast');
    expect(parseDirection('up')).toBe('up');
    expect(parseDirection('sideways')).toBeUndefined();
  });
});

describe('findTarget', () => {
  const things = [
    { name: 'a brass lantern', keywords: ['lantern', 'brass', 'lamp'] },
    { name: 'a copper coin', keywords: ['coin', 'copper'] },
    { name: 'a silver coin', keywords: ['coin', 'silver'] },
  ];
  it('matches keywords, names, prefixes and ordinals', () => {
    expect(findTarget('lamp', things)?.name).toBe('a brass lantern');
    expect(findTarget('the lant', things)?.name).toBe('a brass lantern');
    expect(findTarget('coin', things)?.name).toBe('a copper coin');
    expect(findTarget('2.coin', things)?.name).toBe('a silver coin');
    expect(findTarget('silver coin', things)?.name).toBe('a silver coin');
    expect(findTarget('3.coin', things)).toBeUndefined();
    expect(findTarget('sword', things)).toBeUndefined();
  });
});
