import type { World } from '../world/world-types.js';
import type { CharacterState } from './character-state.js';

/**
 * The figures derived from a character, never stored (see CharacterState). Deliberately simple and
 * linear: a level adds a little health and energy, an attribute point above 10 adds more, and what
 * is worn adds its own attack or armor. The numbers are the game's to tune; combat reads them here.
 */

/** Most health: 30 at level 1 with average constitution. */
export function maxHealth(c: Pick<CharacterState, 'level' | 'attributes'>): number {
  return Math.max(1, 10 + 2 * c.attributes.constitution + 5 * (c.level - 1));
}

/** Most energy: 20 at level 1 with average wits. */
export function maxEnergy(c: Pick<CharacterState, 'level' | 'attributes'>): number {
  return Math.max(0, 2 * c.attributes.wits + 3 * (c.level - 1));
}

/** Attack: half the strength, the level, and the wielded weapon's attack. */
export function attackOf(c: CharacterState, world: World): number {
  let attack = Math.floor(c.attributes.strength / 2) + c.level;
  for (const worn of Object.values(c.equipment)) {
    if (worn !== undefined) attack += world.items.get(worn.item)?.equip?.attack ?? 0;
  }
  return attack;
}

/** Armor: a quarter of the dexterity and the armor of everything worn. */
export function armorOf(c: CharacterState, world: World): number {
  let armor = Math.floor(c.attributes.dexterity / 4);
  for (const worn of Object.values(c.equipment)) {
    if (worn !== undefined) armor += world.items.get(worn.item)?.equip?.armor ?? 0;
  }
  return armor;
}
