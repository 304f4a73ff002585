import { isDeepStrictEqual } from 'node:util';
import type { GameContext, Zone } from '@leviathan/engine';
import { corpseItemId } from '../world/world-builder.js';
import type { World, WorldRoom } from '../world/world-types.js';
import { setArrival } from './movement-commands.js';
import { type MudRuntime, splitLocal, text } from './mud-runtime.js';
import { ITEM, type ItemEntityData, NPC, type NpcEntityData } from './mud-state.js';
import { respawnKey, zoneMemory } from './zone-memory.js';

/** What applying a zone changed, by local room id. */
export interface ZoneChange {
  /** Rooms that are new or whose title, description, exits, placements or details changed. */
  changed: string[];
  /** Rooms that no longer exist (their players, NPCs and items were moved to `safeRoom`). */
  removed: string[];
  /** Where whatever stood in a removed room went: the zone's first room. */
  safeRoom: string;
}

/**
 * Makes the running zone match `next` (a whole world, loaded and validated from the files): its
 * rooms, exits, descriptions, placements and NPC definitions replace this shard's, in place, while
 * everyone stays connected. Players, NPCs and items in a room that is gone are moved to the zone's
 * first room (players with a message). Item definitions written in the zone's file (`fileItems`)
 * are added or updated, never removed: instances of them may be carried anywhere.
 *
 * This is the shard that runs the zone; the other shards adopt only its definitions
 * (adoptZoneDefinitions, when zone-shards.ts hears of the change).
 */
export function applyZone(
  mud: MudRuntime,
  ctx: GameContext,
  zone: Zone,
  next: World,
  fileItems: readonly string[],
): ZoneChange {
  const { oldRooms, goneNpcs } = adoptZoneDefinitions(mud.world, zone.id, next, fileItems);
  const nextZone = next.zones.get(zone.id)!;

  const live = new Set(nextZone.rooms.map(splitLocal));
  const safeRoom = splitLocal(nextZone.rooms[0]!);
  const change: ZoneChange = { changed: [], removed: [], safeRoom };
  for (const local of oldRooms.keys()) if (!live.has(local)) change.removed.push(local);
  for (const rid of nextZone.rooms) {
    const local = splitLocal(rid);
    if (!isDeepStrictEqual(oldRooms.get(local), next.rooms.get(rid))) change.changed.push(local);
  }

  for (const id of goneNpcs) zone.entities.delete(`npc-${id}`);
  reconcileNpcs(zone, next, live, ctx.now);
  reconcilePlacements(mud, zone, oldRooms, nextZone.rooms, next);
  for (const e of zone.entities.values()) {
    if (e.kind === ITEM && e.room !== undefined && !live.has(e.room)) e.room = safeRoom;
  }
  forgetRespawnClocks(zone, nextZone.rooms, next);
  ctx.markDirty(zone);

  for (const player of [...zone.players()]) {
    if (player.room === undefined || live.has(player.room)) continue;
    ctx.sendTo(
      player,
      text('The place where you stood has been unmade. The world sets you down elsewhere.', 'system'),
    );
    setArrival(player, { magic: true });
    ctx.movePlayer(player, { zone: zone.id, room: safeRoom });
  }
  return change;
}

/**
 * The world definitions of one zone become `next`'s in this shard's copy of the world: its rooms,
 * its entry in `zones`, its NPC definitions (with their corpses' items) and the item definitions
 * written in its file (`fileItems`: added or updated, never removed, since instances may be carried
 * anywhere). Definitions only, never live state: what a shard that does not run the zone keeps of
 * it (titles in room views, rooms for `teleport`, names), and the first step of applyZone on the
 * shard that does. Returns the zone's rooms as they were, by local id, and the NPCs gone from it.
 */
export function adoptZoneDefinitions(
  world: World,
  zoneId: string,
  next: World,
  fileItems: readonly string[],
): { oldRooms: Map<string, WorldRoom>; goneNpcs: string[] } {
  const nextZone = next.zones.get(zoneId)!;
  const oldRooms = new Map<string, WorldRoom>();
  for (const rid of world.zones.get(zoneId)?.rooms ?? []) {
    const room = world.rooms.get(rid);
    if (room) oldRooms.set(splitLocal(rid), room);
    world.rooms.delete(rid);
  }
  for (const rid of nextZone.rooms) world.rooms.set(rid, next.rooms.get(rid)!);
  world.zones.set(zoneId, nextZone);
  for (const id of fileItems) {
    const item = next.items.get(id);
    if (item) world.items.set(id, item);
  }
  const goneNpcs: string[] = [];
  for (const [id, npc] of [...world.npcs]) {
    if (npc.zone !== zoneId || next.npcs.get(id)?.zone === zoneId) continue;
    world.npcs.delete(id);
    goneNpcs.push(id);
  }
  for (const npc of next.npcs.values()) {
    if (npc.zone !== zoneId) continue;
    world.npcs.set(npc.id, npc);
    if (npc.combat) world.items.set(corpseItemId(npc.id), next.items.get(corpseItemId(npc.id))!);
  }
  return { oldRooms, goneNpcs };
}

/**
 * The zone's NPCs as `next` defines them (their definitions already adopted): a new one appears at
 * its spawn, one standing in a room that is gone goes back to its spawn.
 */
function reconcileNpcs(zone: Zone, next: World, live: Set<string>, now: number): void {
  for (const npc of next.npcs.values()) {
    if (npc.zone !== zone.id) continue;
    const entity = zone.entities.get(`npc-${npc.id}`);
    if (!entity) {
      const data: NpcEntityData = {
        npc: npc.id,
        nextMoveAt: now + (npc.wander ? npc.wander.everySec * 1000 : 0),
      };
      zone.entities.set(`npc-${npc.id}`, {
        id: `npc-${npc.id}`,
        kind: NPC,
        room: splitLocal(npc.spawn),
        data: data as never,
      });
    } else if (entity.room !== undefined && !live.has(entity.room)) {
      entity.room = splitLocal(npc.spawn);
    }
  }
}

/**
 * World placements (`items:` of rooms): a placement added appears at once; one removed stops
 * respawning (the instance lying there stays, as an ordinary item). Placements that did not
 * change are left to the respawn clock, so a reload does not refill what players took.
 */
function reconcilePlacements(
  mud: MudRuntime,
  zone: Zone,
  oldRooms: ReadonlyMap<string, WorldRoom>,
  nextRooms: readonly string[],
  next: World,
): void {
  const homed = new Map<string, ItemEntityData[]>();
  for (const e of zone.entities.values()) {
    const d = e.data as unknown as ItemEntityData;
    if (e.kind !== ITEM || d.home === undefined) continue;
    const key = `${d.home}|${d.item}`;
    homed.set(key, [...(homed.get(key) ?? []), d]);
  }
  const counts = (items: readonly string[] | undefined) => {
    const m = new Map<string, number>();
    for (const i of items ?? []) m.set(i, (m.get(i) ?? 0) + 1);
    return m;
  };
  const locals = new Set<string>([...oldRooms.keys(), ...nextRooms.map(splitLocal)]);
  for (const local of locals) {
    const before = counts(oldRooms.get(local)?.items);
    const after = counts(next.rooms.get(`${zone.id}:${local}`)?.items);
    for (const item of new Set([...before.keys(), ...after.keys()])) {
      const diff = (after.get(item) ?? 0) - (before.get(item) ?? 0);
      for (let i = 0; i < diff; i++) mud.spawnItem(zone, local, item, true);
      const instances = homed.get(`${local}|${item}`) ?? [];
      for (let i = 0; i < -diff && i < instances.length; i++) delete instances[i]!.home;
    }
  }
}

/** Respawn clocks of placements that are gone (their room, or the item from the room) stop. */
function forgetRespawnClocks(zone: Zone, rooms: readonly string[], next: World): void {
  const memory = zoneMemory(zone);
  if (memory.respawnAt === undefined) return;
  const placed = new Set<string>();
  for (const rid of rooms)
    for (const item of next.rooms.get(rid)?.items ?? []) placed.add(respawnKey(splitLocal(rid), item));
  for (const key of Object.keys(memory.respawnAt)) if (!placed.has(key)) delete memory.respawnAt[key];
  if (Object.keys(memory.respawnAt).length === 0) delete memory.respawnAt;
}
