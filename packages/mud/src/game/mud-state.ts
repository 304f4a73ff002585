import type { Entity, Player, Zone } from '@leviathan/engine';
import type { JsonObject } from '@leviathan/protocol';
import { newCharacter } from '../character/character-state.js';
import type { World, WorldItem, WorldNpc } from '../world/world-types.js';

/** An item somewhere: on a floor (as an entity) or carried (in a player's state). */
export interface CarriedItem {
  /** Instance id, unique in the world. */
  id: string;
  /** The world item it is an instance of. */
  item: string;
}

/** What the MUD keeps in `player.state` (persisted and carried across shards). */
export interface MudPlayerState {
  inventory: CarriedItem[];
}

export function playerState(player: Player): MudPlayerState {
  const s = player.state as unknown as Partial<MudPlayerState>;
  if (!Array.isArray(s.inventory)) (player.state as unknown as MudPlayerState).inventory = [];
  return player.state as unknown as MudPlayerState;
}

/** A new player's state: nothing carried, a new character (character/character-state.ts). */
export function newPlayerState(): JsonObject {
  return { inventory: [], character: newCharacter() as unknown as JsonObject };
}

/** Entity data of an item on the floor. `home` is set for items the world places (respawning). */
export interface ItemEntityData {
  item: string;
  home?: string;
  /** When it crumbles away, in ms since the epoch (corpses). */
  decayAt?: number;
}

/** Entity data of an NPC. */
export interface NpcEntityData {
  npc: string;
  /** When it next tries to wander, in ms since the epoch. */
  nextMoveAt: number;
  /** Its health when hurt (absent: whole). Kept here so a fight survives a restart. */
  health?: number;
  /** The player it is fighting, by name. */
  target?: string;
  /**
   * Damage dealt to it in the current fight, by player name: who shares its experience when it
   * dies (combat-experience.ts). Dropped when it dies, respawns, flees or nobody fights it.
   */
  damage?: Record<string, number>;
  /** While dead: when it returns to its spawn room (its `room` is unset meanwhile). */
  respawnAt?: number;
}

export const ITEM = 'item';
export const NPC = 'npc';

/** `harbor` + `square` → `harbor:square`. */
export function roomId(zone: string, room: string | undefined): string {
  return `${zone}:${room ?? ''}`;
}

/** `harbor:square` → { zone: 'harbor', room: 'square' }. */
export function splitRoomId(id: string): { zone: string; room: string } {
  const colon = id.indexOf(':');
  return { zone: id.slice(0, colon), room: id.slice(colon + 1) };
}

export interface RoomItem {
  entity: Entity;
  def: WorldItem;
}

export interface RoomNpc {
  entity: Entity;
  def: WorldNpc;
}

/** Items lying in a room, in the order they arrived. */
export function itemsInRoom(world: World, zone: Zone, room: string): RoomItem[] {
  const out: RoomItem[] = [];
  for (const entity of zone.entities.values()) {
    if (entity.kind !== ITEM || entity.room !== room) continue;
    const def = world.items.get((entity.data as unknown as ItemEntityData).item);
    if (def) out.push({ entity, def });
  }
  return out;
}

/** NPCs in a room. */
export function npcsInRoom(world: World, zone: Zone, room: string): RoomNpc[] {
  const out: RoomNpc[] = [];
  for (const entity of zone.entities.values()) {
    if (entity.kind !== NPC || entity.room !== room) continue;
    const def = world.npcs.get((entity.data as unknown as NpcEntityData).npc);
    if (def) out.push({ entity, def });
  }
  return out;
}

/** A command of any argument type, for lists of commands. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type (invariant in A)
export type AnyCommand = import('@leviathan/engine').CommandDefinition<any>;
