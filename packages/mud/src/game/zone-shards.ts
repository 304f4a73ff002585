import { CommandError, type GameContext } from '@leviathan/engine';
import type { JsonValue } from '@leviathan/protocol';
import { adoptZoneDefinitions } from './apply-zone.js';
import type { MudRuntime } from './mud-runtime.js';
import { loadZoneFromDisk } from './zone-from-disk.js';

/**
 * How a zone built in the game reaches every shard at once, over the engine's channel between
 * shards (`ctx.tellShards`, `GameDefinition.onShardMessage`). The shard that runs the zone edits
 * its file and applies it (zone-edits.ts), and tells the others the zone's id, no more: each of
 * them reads the world files again, with the loader and checks of `reload zone`, and adopts the
 * zone's definitions into its copy of the world (titles of the rooms its exits lead to, rooms for
 * `teleport`, names of items and NPCs), never live state, which only the zone's own shard has.
 */
export const ZONE_CHANGED_TOPIC = 'mud.zone-changed';

/**
 * Tells the other shards that a zone's file changed. Past the engine's messages per shard per tick
 * (a flood of ooc lines in the same tick, say) the channel refuses: the edit is refused whole, not
 * made here and unknown elsewhere.
 */
export function tellZoneChanged(ctx: GameContext, zoneId: string): void {
  tellShardsOrRefuse(ctx, ZONE_CHANGED_TOPIC, zoneId);
}

/**
 * `ctx.tellShards` for a builder's command: when the channel refuses (past the engine's messages
 * per shard per tick), the command is refused with a CommandError that says to try again.
 */
export function tellShardsOrRefuse(ctx: GameContext, topic: string, data: JsonValue): void {
  try {
    ctx.tellShards(topic, data);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new CommandError('Refused, nothing changed: the shards are too busy this moment; try again.');
  }
}

/**
 * What another shard told this one about a zone it changed (GameDefinition.onShardMessage): the
 * zone's definitions are read again from the world files. False for another topic.
 */
export function zoneHeard(
  mud: MudRuntime,
  topic: string,
  data: JsonValue,
  ctx: GameContext,
  from: number,
): boolean {
  if (topic !== ZONE_CHANGED_TOPIC) return false;
  // Data of another shape (a node of another version of the MUD, say) is logged and left out.
  if (typeof data !== 'string') {
    ctx.log.warn({ topic, from }, 'a zone change told by another shard names no zone');
    return true;
  }
  refreshZoneDefinitions(mud, ctx, data, from);
  return true;
}

/**
 * Reads a zone another shard runs again from the world files and adopts its definitions. A zone
 * this shard does not know (added to the files at run time) waits for a restart, as the engine
 * places zones on shards when it starts; a zone this shard runs is left alone (only its own edits
 * and `reload zone` change a running zone, and it would not be told of those). A world that does
 * not load here (a cluster node whose world directory is not yet in step) is logged, and this
 * shard keeps its old copy.
 */
export function refreshZoneDefinitions(
  mud: MudRuntime,
  ctx: GameContext,
  zoneId: string,
  from: number,
): void {
  if (!mud.world.zones.has(zoneId)) {
    ctx.log.warn(
      { zone: zoneId, from },
      'another shard changed a zone this shard does not know (until a restart)',
    );
    return;
  }
  if (ctx.zone(zoneId)) {
    ctx.log.warn({ zone: zoneId, from }, 'another shard told of a change to a zone this shard runs; ignored');
    return;
  }
  let loaded: ReturnType<typeof loadZoneFromDisk>;
  try {
    loaded = loadZoneFromDisk(mud, zoneId);
  } catch (err) {
    ctx.log.warn(
      { zone: zoneId, from, problem: (err as Error).message },
      'a zone changed on another shard does not load here: this shard keeps its old copy',
    );
    return;
  }
  adoptZoneDefinitions(mud.world, zoneId, loaded.next, loaded.fileItems);
  ctx.log.info(
    { zone: zoneId, from, file: loaded.file },
    'zone changed on another shard: definitions reloaded',
  );
  refreshViewsInto(mud, ctx, zoneId);
}

/**
 * Graphical clients' room panels name where each exit leads (by title): players of this shard in
 * a room with an exit into the changed zone get a fresh view. Text clients see it at their next look.
 */
function refreshViewsInto(mud: MudRuntime, ctx: GameContext, zoneId: string): void {
  const prefix = `${zoneId}:`;
  for (const zone of ctx.zones.values()) {
    const rooms = new Set<string>();
    for (const player of zone.players()) if (player.room !== undefined) rooms.add(player.room);
    for (const room of rooms) {
      const def = mud.world.rooms.get(`${zone.id}:${room}`);
      if (def?.exits.some((e) => e.to.startsWith(prefix))) mud.refreshRoom(ctx, zone, room);
    }
  }
}
