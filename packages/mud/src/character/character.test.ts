import type { Player } from '@leviathan/engine';
import { describe, expect, it } from 'vitest';
import type { World } from '../world/world-types.js';
import { characterOf, newCharacter, STARTING_COINS } from './character-state.js';
import { experienceForLevel, experienceToNextLevel, gainExperience, MAX_LEVEL } from './progression.js';
import { armorOf, attackOf, maxEnergy, maxHealth } from './stats.js';

function playerWith(state: Record<string, unknown>): Player {
  return { username: 'ada', state } as unknown as Player;
}

describe('characters', () => {
  it('starts at level 1 with average attributes and full health and energy', () => {
    const c = newCharacter();
    expect(c).toMatchObject({ level: 1, xp: 0, health: 30, energy: 20, equipment: {} });
    expect(c.attributes).toEqual({ strength: 10, dexterity: 10, constitution: 10, wits: 10 });
    expect(maxHealth(c)).toBe(30);
    expect(maxEnergy(c)).toBe(20);
  });

  it('gives a player saved before characters existed a new character, in its state', () => {
    const state: Record<string, unknown> = { inventory: [] };
    const c = characterOf(playerWith(state));
    // Saved before money existed too: no coins (a new character gets STARTING_COINS).
    expect(c).toEqual({ ...newCharacter(), coins: 0 });
    expect(state.character).toBe(c);
    // The same object on the next call: nothing is rebuilt for a whole character.
    expect(characterOf(playerWith(state))).toBe(c);
  });

  it('repairs a malformed character field by field, keeping what is valid', () => {
    const state: Record<string, unknown> = {
      character: {
        level: 3,
        xp: 'lots',
        health: 999,
        attributes: { strength: 14, dexterity: -2 },
        equipment: { wield: { id: 'i1', item: 'axe' }, tail: { id: 'i2', item: 'x' }, head: 'hat' },
      },
    };
    const c = characterOf(playerWith(state));
    expect(c.level).toBe(3);
    expect(c.xp).toBe(0);
    expect(c.attributes).toEqual({ strength: 14, dexterity: 10, constitution: 10, wits: 10 });
    // Health is capped at the maximum; energy was missing: full.
    expect(c.health).toBe(maxHealth(c));
    expect(c.energy).toBe(maxEnergy(c));
    expect(c.equipment).toEqual({ wield: { id: 'i1', item: 'axe' } });
  });

  it('starts new characters with coins and gives old saves none, keeping coins that are valid', () => {
    expect(newCharacter().coins).toBe(STARTING_COINS);
    const old = { ...newCharacter() } as Partial<ReturnType<typeof newCharacter>>;
    delete old.coins;
    expect(characterOf(playerWith({ character: old })).coins).toBe(0);
    expect(characterOf(playerWith({ character: { ...newCharacter(), coins: -5 } })).coins).toBe(0);
    expect(characterOf(playerWith({ character: { ...newCharacter(), coins: 1.5 } })).coins).toBe(0);
    const rich = { ...newCharacter(), coins: 77 };
    expect(characterOf(playerWith({ character: rich }))).toBe(rich);
  });

  it('levels up as experience reaches each threshold, raising attributes and restoring health', () => {
    expect([1, 2, 3, 4].map(experienceForLevel)).toEqual([0, 100, 300, 600]);
    const c = newCharacter();
    c.health = 5;
    expect(gainExperience(c, 99)).toBe(0);
    expect(c.health).toBe(5);
    expect(experienceToNextLevel(c)).toBe(1);
    expect(gainExperience(c, 250)).toBe(2); // 349: past 100 and 300
    expect(c.level).toBe(3);
    expect(c.attributes.strength).toBe(12);
    expect(c.health).toBe(maxHealth(c));
    expect(maxHealth(c)).toBe(10 + 2 * 12 + 5 * 2);
    expect(experienceToNextLevel(c)).toBe(600 - 349);
    expect(() => gainExperience(c, -1)).toThrow(RangeError);
    expect(() => gainExperience(c, 1.5)).toThrow(RangeError);
  });

  it('stops at the highest level', () => {
    const c = newCharacter();
    gainExperience(c, experienceForLevel(MAX_LEVEL) * 2);
    expect(c.level).toBe(MAX_LEVEL);
    expect(experienceToNextLevel(c)).toBe(0);
  });

  it('adds what is worn to attack and armor', () => {
    const world = {
      items: new Map([
        ['axe', { id: 'axe', equip: { slot: 'wield', attack: 3, armor: 0 } }],
        ['pelt', { id: 'pelt', equip: { slot: 'body', attack: 0, armor: 1 } }],
      ]),
    } as unknown as World;
    const c = newCharacter();
    expect(attackOf(c, world)).toBe(5 + 1);
    expect(armorOf(c, world)).toBe(2);
    c.equipment.wield = { id: 'i1', item: 'axe' };
    c.equipment.body = { id: 'i2', item: 'pelt' };
    expect(attackOf(c, world)).toBe(9);
    expect(armorOf(c, world)).toBe(3);
    // An item the world no longer has adds nothing (and breaks nothing).
    c.equipment.head = { id: 'i3', item: 'gone' };
    expect(armorOf(c, world)).toBe(3);
  });
});
