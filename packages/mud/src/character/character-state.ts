import type { Player } from '@leviathan/engine';
import type { CarriedItem } from '../game/mud-state.js';
import { EQUIPMENT_SLOTS, type EquipmentSlot, isEquipmentSlot } from './equipment-slots.js';
import { isQuestLog, newQuestLog, type QuestLog, repairQuestLog } from './quest-log.js';
import { maxEnergy, maxHealth } from './stats.js';

/** The four attributes every character has; 10 is average. */
export interface Attributes {
  /** Hits harder (attack). */
  strength: number;
  /** Is hit less often (armor). */
  dexterity: number;
  /** Has more health. */
  constitution: number;
  /** Has more energy, the resource that special actions spend. */
  wits: number;
}

export const ATTRIBUTE_NAMES = ['strength', 'dexterity', 'constitution', 'wits'] as const;

/** A new character's attributes. */
export const STARTING_ATTRIBUTE = 10;

/**
 * Coins a new character starts with: enough for a few cheap things at a shop, so buying can be
 * tried at once. Characters saved before money existed start at 0 instead (no gift on reload).
 */
export const STARTING_COINS = 20;

/**
 * What the MUD keeps of a character in `player.state.character`: persisted through the store with
 * the rest of the player's state and carried across shards with it, so it is plain JSON. Health
 * and energy are current values; their maxima are derived (stats.ts), never stored, so a change
 * of the formulas applies to every character at once.
 */
export interface CharacterState {
  level: number;
  /** Experience gathered in all, never spent: the level follows from it (progression.ts). */
  xp: number;
  health: number;
  energy: number;
  attributes: Attributes;
  /** What is worn or wielded, by slot. Not in the inventory, and not counted against its limit. */
  equipment: Partial<Record<EquipmentSlot, CarriedItem>>;
  /** Money carried, in whole coins (game/shop-commands.ts spends and earns it). */
  coins: number;
  /** Quests taken on and done (game/quest-progress.ts). */
  quests: QuestLog;
  /**
   * The NPC entity this character is fighting, while a fight lasts: in the state, so the fight
   * goes on after a restart (the NPC's side is in its entity's data).
   */
  fighting?: string;
}

/** A new character: level 1, average attributes, full health and energy, nothing worn, STARTING_COINS. */
export function newCharacter(): CharacterState {
  const attributes: Attributes = {
    strength: STARTING_ATTRIBUTE,
    dexterity: STARTING_ATTRIBUTE,
    constitution: STARTING_ATTRIBUTE,
    wits: STARTING_ATTRIBUTE,
  };
  const c: CharacterState = {
    level: 1,
    xp: 0,
    health: 0,
    energy: 0,
    attributes,
    equipment: {},
    coins: STARTING_COINS,
    quests: newQuestLog(),
  };
  c.health = maxHealth(c);
  c.energy = maxEnergy(c);
  return c;
}

/**
 * Characters already checked whole, by identity: the MUD's own code changes them only in ways that
 * keep them whole, and a state that arrives anew (a handoff, a restart, the store) is a new object,
 * checked once. Without it the check ran on every look at a character: 2.5 % of the fight shard's
 * busy time in `pnpm bench mud` at 5,000 players (211 ms of 8.6 s in its CPU profile).
 */
const knownWhole = new WeakSet<object>();

/**
 * The player's character, made whole: a player saved before characters existed (or whose state
 * was edited by hand) gets a new character's values for whatever is missing or malformed, so a
 * command never meets a half-made character. Fixes the state in place and returns it.
 */
export function characterOf(player: Player): CharacterState {
  const state = player.state as Record<string, unknown>;
  const stored = state.character;
  if (knownWhole.has(stored as object)) return stored as CharacterState;
  if (isCharacter(stored)) {
    knownWhole.add(stored);
    return stored;
  }
  const fresh = newCharacter();
  const c = repair(stored, fresh);
  state.character = c as unknown as Record<string, never>;
  knownWhole.add(c);
  return c;
}

function repair(stored: unknown, fresh: CharacterState): CharacterState {
  // Whoever reaches here was saved before money existed (or had their state edited): no coins,
  // rather than STARTING_COINS, so that a damaged save never turns into a gift.
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { ...fresh, coins: 0 };
  const s = stored as Partial<Record<keyof CharacterState, unknown>>;
  const attrs = (typeof s.attributes === 'object' && s.attributes !== null ? s.attributes : {}) as Record<
    string,
    unknown
  >;
  const c: CharacterState = {
    level: positiveInteger(s.level) ?? fresh.level,
    xp: nonNegativeInteger(s.xp) ?? fresh.xp,
    health: 0,
    energy: 0,
    attributes: {
      strength: positiveInteger(attrs.strength) ?? fresh.attributes.strength,
      dexterity: positiveInteger(attrs.dexterity) ?? fresh.attributes.dexterity,
      constitution: positiveInteger(attrs.constitution) ?? fresh.attributes.constitution,
      wits: positiveInteger(attrs.wits) ?? fresh.attributes.wits,
    },
    equipment: {},
    coins: nonNegativeInteger(s.coins) ?? 0,
    quests: repairQuestLog(s.quests),
  };
  if (typeof s.equipment === 'object' && s.equipment !== null) {
    for (const [slot, item] of Object.entries(s.equipment)) {
      if (isEquipmentSlot(slot) && isCarriedItem(item)) c.equipment[slot] = item;
    }
  }
  if (typeof s.fighting === 'string') c.fighting = s.fighting;
  c.health = Math.min(nonNegativeInteger(s.health) ?? maxHealth(c), maxHealth(c));
  c.energy = Math.min(nonNegativeInteger(s.energy) ?? maxEnergy(c), maxEnergy(c));
  return c;
}

function isCharacter(value: unknown): value is CharacterState {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as CharacterState;
  return (
    positiveInteger(c.level) !== undefined &&
    nonNegativeInteger(c.xp) !== undefined &&
    nonNegativeInteger(c.health) !== undefined &&
    nonNegativeInteger(c.energy) !== undefined &&
    typeof c.attributes === 'object' &&
    c.attributes !== null &&
    positiveInteger(c.attributes.strength) !== undefined &&
    positiveInteger(c.attributes.dexterity) !== undefined &&
    positiveInteger(c.attributes.constitution) !== undefined &&
    positiveInteger(c.attributes.wits) !== undefined &&
    typeof c.equipment === 'object' &&
    c.equipment !== null &&
    nonNegativeInteger(c.coins) !== undefined &&
    isQuestLog(c.quests) &&
    Object.entries(c.equipment).every(([slot, item]) => isEquipmentSlot(slot) && isCarriedItem(item))
  );
}

function isCarriedItem(value: unknown): value is CarriedItem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<CarriedItem>;
  return typeof v.id === 'string' && typeof v.item === 'string';
}

function positiveInteger(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : undefined;
}

function nonNegativeInteger(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

/** The slots in listing order, with what is in each (undefined when empty). */
export function equipmentBySlot(c: CharacterState): Array<[EquipmentSlot, CarriedItem | undefined]> {
  return EQUIPMENT_SLOTS.map((slot) => [slot, c.equipment[slot]]);
}
