/**
 * One swing of a fight, as pure functions of the two sides' figures and a random source, so the
 * rules can be tested alone and a seeded source makes whole fights repeatable (gameOptions
 * `combatSeed`). Both players and NPCs are reduced to the same two numbers (stats.ts for
 * characters, the world's `combat` for NPCs).
 */

/** What one side brings to a swing. */
export interface Fighter {
  attack: number;
  armor: number;
}

/** A random number in [0, 1), as Math.random gives. */
export type RandomSource = () => number;

/** Chance that a swing lands: 60 % when attack equals armor, 5 points per point of difference, kept in 10..95 %. */
export function hitChance(attacker: Fighter, defender: Fighter): number {
  const chance = 0.6 + 0.05 * (attacker.attack - defender.armor);
  return Math.min(0.95, Math.max(0.1, chance));
}

/**
 * Damage of one swing: 0 for a miss; otherwise half the attack (at least 1) plus up to as much
 * again, less half the defender's armor, and never less than 1 (armor softens blows, it never
 * makes anyone untouchable).
 */
export function swing(attacker: Fighter, defender: Fighter, random: RandomSource): number {
  if (random() >= hitChance(attacker, defender)) return 0;
  const base = Math.max(1, Math.ceil(attacker.attack / 2));
  const rolled = base + Math.floor(random() * (base + 1));
  return Math.max(1, rolled - Math.floor(defender.armor / 2));
}

/** Chance that `flee` gets away: two in three. */
export const FLEE_CHANCE = 2 / 3;

/**
 * How a fight looks before it starts, in words, from the level difference (theirs minus yours):
 * what `consider` answers.
 */
export function considerLevels(yours: number, theirs: number): string {
  const diff = theirs - yours;
  if (diff <= -5) return 'is no match for you at all';
  if (diff <= -2) return 'should be an easy fight';
  if (diff <= 1) return 'looks like a fair fight';
  if (diff <= 3) return 'would be a hard fight';
  return 'would kill you';
}

/**
 * A small, fast, seedable generator (mulberry32): the same seed gives the same fights, which is
 * all a test needs; Math.random is used when no seed is given.
 */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Health (or energy) regained per regeneration pulse out of combat: a tenth of the maximum, at least 1. */
export function regenAmount(max: number): number {
  return Math.max(1, Math.floor(max / 10));
}
