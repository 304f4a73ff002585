import { CommandError, type GameContext, type Zone } from '@leviathan/engine';
import type { JsonValue } from '@leviathan/protocol';
import { isPlainObject } from '../world/schema.js';
import { type MudRuntime, text } from './mud-runtime.js';
import { changeZone } from './zone-edits.js';
import { tellShardsOrRefuse } from './zone-shards.js';

/**
 * `reload zone`: a zone file edited by hand, read again and applied to the running zone without a
 * restart. Only the shard that runs a zone may change it; a builder on another shard has the
 * request carried there over the engine's channel between shards (`ctx.tellShards`), and the
 * zone's shard reloads it and tells the builder the outcome by name (`ctx.sendTo` reaches a player
 * on any shard).
 */
export const RELOAD_ZONE_TOPIC = 'mud.reload-zone';

/**
 * Reloads a zone this shard runs; the players in its changed rooms get a fresh view (but `by`, who
 * is answered instead). Returns the answer; throws a CommandError when the file is refused.
 */
export function reloadZoneHere(mud: MudRuntime, ctx: GameContext, zone: Zone, by: string): string {
  const change = changeZone(mud, ctx, zone);
  const removed = new Set(change.removed);
  for (const player of [...zone.players()]) {
    if (player.room === undefined || removed.has(player.room) || !change.changed.includes(player.room))
      continue;
    if (player.username !== by) mud.showRoom(ctx, player);
  }
  ctx.log.info({ by, zone: zone.id, ...change }, 'zone reloaded in the game');
  const rooms = `${change.changed.length} room${change.changed.length === 1 ? '' : 's'}`;
  return `Reloaded zone ${zone.id} from ${change.file}: ${rooms} new or changed, ${change.removed.length} removed.`;
}

/**
 * Asks the shard that runs `zoneId` to reload it for `by`. Past the channel's limit this tick the
 * request is refused, not lost.
 */
export function askZoneShardToReload(ctx: GameContext, zoneId: string, by: string): void {
  tellShardsOrRefuse(ctx, RELOAD_ZONE_TOPIC, { zone: zoneId, by });
}

/**
 * A reload asked by a builder on another shard (GameDefinition.onShardMessage): every shard hears
 * it, the zone's own shard does it and answers the builder. False for another topic.
 */
export function reloadHeard(
  mud: MudRuntime,
  topic: string,
  data: JsonValue,
  ctx: GameContext,
  from: number,
): boolean {
  if (topic !== RELOAD_ZONE_TOPIC) return false;
  if (!isPlainObject(data) || typeof data.zone !== 'string' || typeof data.by !== 'string') {
    ctx.log.warn({ topic, from }, 'a reload asked by another shard names no zone or builder');
    return true;
  }
  const zone = ctx.zone(data.zone);
  if (!zone) return true; // another shard's zone: its own shard answers
  const by = data.by;
  try {
    ctx.sendTo(by, text(reloadZoneHere(mud, ctx, zone, by), 'system'));
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    ctx.sendTo(by, text(`Reload of zone ${zone.id}: ${err.message}`, 'system'));
  }
  return true;
}
