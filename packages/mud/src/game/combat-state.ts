import type { Entity, GameContext, Player, Zone } from '@leviathan/engine';
import { characterOf } from '../character/character-state.js';
import type { Fighter } from '../character/combat-round.js';
import { armorOf, attackOf } from '../character/stats.js';
import type { NpcCombat, World, WorldNpc } from '../world/world-types.js';
import type { MudRuntime } from './mud-runtime.js';
import { NPC, type NpcEntityData } from './mud-state.js';

/**
 * Who fights whom, read from where it is kept: the player's side in `character.fighting` (player
 * state), the NPC's in its entity data (`health`, `target`). Both persist through the engine's
 * write-behind, so a fight outlives a restart; nothing about a fight is held only in memory.
 */

/** An NPC that can fight, as found in a zone. */
export interface Combatant {
  entity: Entity;
  def: WorldNpc & { combat: NpcCombat };
  data: NpcEntityData;
}

/** The NPC entity `id` of `zone`, if it is a living NPC that fights. */
export function combatantOf(world: World, zone: Zone, id: string): Combatant | undefined {
  const entity = zone.entities.get(id);
  if (!entity || entity.kind !== NPC || entity.room === undefined) return undefined;
  const data = entity.data as unknown as NpcEntityData;
  const def = world.npcs.get(data.npc);
  if (!def?.combat || data.respawnAt !== undefined) return undefined;
  return { entity, def: def as Combatant['def'], data };
}

/**
 * The id of the NPC the player's character fights, read from the raw state without the
 * character's full check: most players in a room fight nobody, and the check is not free.
 */
export function fightingRaw(player: Player): unknown {
  return (player.state as { character?: { fighting?: unknown } }).character?.fighting;
}

/** The NPC the player fights, while it is alive and in the player's room; else undefined. */
export function opponentOf(world: World, zone: Zone | undefined, player: Player): Combatant | undefined {
  const id = characterOf(player).fighting;
  if (id === undefined || zone === undefined) return undefined;
  const npc = combatantOf(world, zone, id);
  return npc && npc.entity.room === player.room ? npc : undefined;
}

export function npcHealth(npc: Combatant): number {
  return npc.data.health ?? npc.def.combat.health;
}

export function npcFighter(npc: Combatant): Fighter {
  return { attack: npc.def.combat.attack, armor: npc.def.combat.armor };
}

export function playerFighter(world: World, player: Player): Fighter {
  const c = characterOf(player);
  return { attack: attackOf(c, world), armor: armorOf(c, world) };
}

/** "a conger eel" → "the conger eel": in a fight the creature is the one in front of you. */
export function theName(name: string): string {
  return name.replace(/^(a|an|some) /i, 'the ');
}

/**
 * A line of the fight to everyone in the room but `except` (who was told in their own words); in a
 * crowded room, gathered into the tick's summary (fight-chatter.ts).
 */
export function toRoomExcept(
  ctx: GameContext,
  mud: MudRuntime,
  zone: string,
  room: string,
  line: string,
  except: string | undefined,
): void {
  mud.fightChatter.tell(ctx, zone, room, line, except);
}
