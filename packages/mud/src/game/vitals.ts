import type { CommandContext, GameContext, Player } from '@leviathan/engine';
import type { VitalsMessage } from '@leviathan/protocol';
import { type CharacterState, characterOf } from '../character/character-state.js';
import { experienceToNextLevel } from '../character/progression.js';
import { maxEnergy, maxHealth } from '../character/stats.js';

/** The `vitals` message of a character: its figures, the maxima derived (stats.ts). */
export function vitalsOf(c: CharacterState): VitalsMessage {
  return {
    type: 'vitals',
    health: c.health,
    maxHealth: maxHealth(c),
    energy: c.energy,
    maxEnergy: maxEnergy(c),
    level: c.level,
    xp: c.xp,
    toNextLevel: experienceToNextLevel(c),
  };
}

/**
 * Sends a player their character's vitals (health, energy, level, experience), for the browser's
 * bars and a MUD client's GMCP `Char.Vitals`. The engine writes it only to connections with the
 * `events` capability: text clients read the same figures with `score`.
 *
 * The MUD sends it when a player comes in (onPlayerEnter: login, resume, handoff). Code that
 * changes any of the figures (damage, healing, spending energy, `gainExperience`) calls it once
 * after the change, for each player changed; the caller decides when, so a fight round that hits
 * twice sends one message, not two. Each message carries every figure: nothing is lost when one
 * is dropped or two are merged.
 */
export function sendVitals(ctx: GameContext | CommandContext, player: Player): void {
  ctx.sendTo(player, vitalsOf(characterOf(player)));
}
