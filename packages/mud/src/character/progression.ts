import { ATTRIBUTE_NAMES, type CharacterState } from './character-state.js';
import { maxEnergy, maxHealth } from './stats.js';

/** The highest level a character reaches. */
export const MAX_LEVEL = 50;

/**
 * Experience needed in all to be `level`: 0 for level 1, then 100, 300, 600, ... (each level asks
 * 100 more than the one before), so early levels come quickly and later ones take longer.
 */
export function experienceForLevel(level: number): number {
  return 50 * level * (level - 1);
}

/** Experience still needed for the next level (0 at the highest level). */
export function experienceToNextLevel(c: Pick<CharacterState, 'level' | 'xp'>): number {
  if (c.level >= MAX_LEVEL) return 0;
  return Math.max(0, experienceForLevel(c.level + 1) - c.xp);
}

/**
 * Adds experience (fights, quests) and raises the level as far as it reaches: each level adds
 * one point to every attribute and restores health and energy to their new maxima. Returns the
 * levels gained, so the caller can tell the player. Negative or fractional amounts are refused:
 * experience is never taken away.
 */
export function gainExperience(c: CharacterState, amount: number): number {
  if (!Number.isInteger(amount) || amount < 0) {
    throw new RangeError(`experience must be a whole number of at least 0, got ${amount}`);
  }
  c.xp += amount;
  let gained = 0;
  while (c.level < MAX_LEVEL && c.xp >= experienceForLevel(c.level + 1)) {
    c.level++;
    gained++;
    for (const name of ATTRIBUTE_NAMES) c.attributes[name]++;
  }
  if (gained > 0) {
    c.health = maxHealth(c);
    c.energy = maxEnergy(c);
  }
  return gained;
}
