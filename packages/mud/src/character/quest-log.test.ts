import type { Player } from '@leviathan/engine';
import { describe, expect, it } from 'vitest';
import { characterOf, newCharacter } from './character-state.js';
import { isQuestLog, repairQuestLog } from './quest-log.js';

function playerWith(state: Record<string, unknown>): Player {
  return { username: 'ada', state } as unknown as Player;
}

describe('quest log', () => {
  it('a new character has taken on nothing and done nothing', () => {
    expect(newCharacter().quests).toEqual({ active: {}, done: [] });
  });

  it('a character saved before quests existed gets an empty log and keeps everything else', () => {
    const { quests: _none, ...old } = { ...newCharacter(), coins: 42, xp: 70 };
    const state: Record<string, unknown> = { character: old };
    const c = characterOf(playerWith(state));
    expect(c).toEqual({ ...newCharacter(), coins: 42, xp: 70 });
    expect(state.character).toBe(c);
  });

  it('keeps the good entries of a damaged log and drops the bad ones', () => {
    const stored = {
      active: { a: { step: 1, kills: 2 }, b: { step: -1 }, c: 'nonsense', d: { step: 0 } },
      done: ['x', 7, 'x', 'y'],
    };
    const log = repairQuestLog(stored);
    expect(log).toEqual({ active: { a: { step: 1, kills: 2 }, d: { step: 0, kills: 0 } }, done: ['x', 'y'] });
    expect(isQuestLog(stored)).toBe(false);
    expect(isQuestLog(log)).toBe(true);
    expect(repairQuestLog([])).toEqual({ active: {}, done: [] });
    const c = characterOf(playerWith({ character: { ...newCharacter(), quests: stored } }));
    expect(c.quests).toEqual(log);
  });

  it('keeps when repeatable quests were last done, dropping bad times', () => {
    const stored = {
      active: {},
      done: ['daily'],
      lastDone: { daily: 1_700_000_000_000, bad: -5, worse: 'x' },
    };
    const log = repairQuestLog(stored);
    expect(log).toEqual({ active: {}, done: ['daily'], lastDone: { daily: 1_700_000_000_000 } });
    expect(isQuestLog(stored)).toBe(false);
    expect(isQuestLog(log)).toBe(true);
    // A log with no time kept stays without `lastDone`.
    expect(repairQuestLog({ active: {}, done: [], lastDone: { bad: 1.5 } })).toEqual({
      active: {},
      done: [],
    });
  });
});
