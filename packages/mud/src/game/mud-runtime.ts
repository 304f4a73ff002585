import type { BroadcastOptions, GameContext, Player, Zone } from '@leviathan/engine';
import type { ChatMessage, PresenceMessage, RoomMessage, TextMessage } from '@leviathan/protocol';
import { renderRoom } from '../render/room-text.js';
import { sentence } from '../render/text.js';
import type { World } from '../world/world-types.js';
import type { MudOptions } from './mud-options.js';
import {
  ITEM,
  type ItemEntityData,
  itemsInRoom,
  NPC,
  type NpcEntityData,
  npcsInRoom,
  roomId,
} from './mud-state.js';

export function text(textValue: string, channel?: string): TextMessage {
  return channel === undefined
    ? { type: 'text', text: textValue }
    : { type: 'text', text: textValue, channel };
}

/**
 * The MUD as one shard runs it: the world (every shard loads all of it, so titles and NPC
 * definitions of other shards' zones are known), the options, and what a shard keeps in memory
 * only (activity for idle checks, respawn clocks). Everything that must survive a restart or a
 * handoff lives in player state and zone entities instead.
 */
export class MudRuntime {
  readonly world: World;
  readonly options: MudOptions;
  /** Last command time per player of this shard, in ms since the epoch. */
  readonly lastActive = new Map<string, number>();
  /** Players warned about idling, so the warning is sent once. */
  readonly warned = new Set<string>();
  /** When a world-placed item went missing from its room (`room|item` → ms), for respawn. */
  readonly missingSince = new Map<string, number>();
  /** Players adopted from another shard this tick, whose arrival was already told. */
  readonly handedOff = new Set<string>();
  #nextId = 0;
  readonly #idPrefix: string;

  constructor(world: World, options: MudOptions, now = Date.now()) {
    this.world = world;
    this.options = options;
    // Instance ids travel between shards in inventories: the load time and a random part keep
    // ids made by different shards, and by a shard before and after a restart, apart.
    this.#idPrefix = `${now.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
  }

  newItemId(zone: string): string {
    return `${zone}.${this.#idPrefix}.${(this.#nextId++).toString(36)}`;
  }

  /** Puts a new instance of a world item on a floor. */
  spawnItem(zone: Zone, room: string, item: string, home: boolean): void {
    const id = this.newItemId(zone.id);
    const data: ItemEntityData = home ? { item, home: room } : { item };
    zone.entities.set(id, { id, kind: ITEM, room, data: data as never });
  }

  /** Sets a zone up from the world: its items and NPCs, unless they were restored from the store. */
  populate(zone: Zone, now: number): void {
    const hasNpcs = [...zone.entities.values()].some((e) => e.kind === NPC);
    if (!hasNpcs) {
      for (const npc of this.world.npcs.values()) {
        if (npc.zone !== zone.id) continue;
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
      }
    }
    const hasItems = [...zone.entities.values()].some((e) => e.kind === ITEM);
    if (!hasItems) {
      for (const rid of this.world.zones.get(zone.id)?.rooms ?? []) {
        const room = this.world.rooms.get(rid)!;
        for (const item of room.items) this.spawnItem(zone, splitLocal(rid), item, true);
      }
    }
  }

  /** The structured view of the player's room (without the player among the occupants). */
  roomView(ctx: GameContext, player: Player): RoomMessage | undefined {
    const zone = ctx.zone(player.zone);
    const room = this.world.rooms.get(roomId(player.zone, player.room));
    if (!zone || !room || player.room === undefined) return undefined;
    const occupants: RoomMessage['occupants'] = [];
    for (const n of npcsInRoom(this.world, zone, player.room))
      occupants.push({ name: n.def.name, kind: 'npc' });
    for (const p of zone.playersInRoom(player.room)) {
      if (p.username !== player.username) occupants.push({ name: p.username, kind: 'player' });
    }
    return {
      type: 'room',
      id: room.id,
      zone: room.zone,
      title: room.title,
      description: room.description,
      exits: room.exits.map((e) => ({
        direction: e.direction,
        to: this.world.rooms.get(e.to)?.title ?? e.to,
      })),
      occupants,
      items: itemsInRoom(this.world, zone, player.room).map((i) => ({ id: i.entity.id, name: i.def.name })),
    };
  }

  /** Sends the player their room: the structured `room` and its text. */
  showRoom(ctx: GameContext, player: Player, asReply?: (t: string) => void): void {
    const view = this.roomView(ctx, player);
    if (!view) {
      ctx.sendTo(player, text('You are nowhere. Type "recall" to return to the world.', 'system'));
      return;
    }
    ctx.sendTo(player, view);
    if (asReply) asReply(renderRoom(view));
    else ctx.sendTo(player, text(renderRoom(view), 'room'));
  }

  /**
   * Sends a fresh `room` to everyone in a room who asked for structured events, after its items
   * changed (get, drop, respawn), so graphical clients' room panels stay true. Text clients are
   * told in words by the command itself.
   */
  refreshRoom(ctx: GameContext, zone: Zone, room: string): void {
    for (const p of zone.playersInRoom(room)) {
      if (!p.capabilities.includes('events')) continue;
      const view = this.roomView(ctx, p);
      if (view) ctx.sendTo(p, view, { priority: 'low' });
    }
  }

  /** Tells the room someone arrived or left: the `presence` event and a line of text. */
  presence(
    ctx: GameContext,
    zone: string,
    room: string | undefined,
    event: PresenceMessage['event'],
    name: string,
    kind: PresenceMessage['kind'],
    line: string,
    opts: { direction?: string; except?: string; priority?: 'low' } = {},
  ): void {
    if (room === undefined) return;
    const msg: PresenceMessage = { type: 'presence', event, name, kind };
    if (opts.direction) msg.direction = opts.direction;
    const broadcast: BroadcastOptions = {};
    if (opts.except !== undefined) broadcast.except = opts.except;
    if (opts.priority !== undefined) broadcast.priority = opts.priority;
    ctx.toRoom(zone, room, msg, broadcast);
    ctx.toRoom(zone, room, text(sentence(line), 'room'), broadcast);
  }

  /** Talk in a room: the `chat` event and its text, to everyone there but the speaker. */
  roomChat(ctx: GameContext, player: Player, chat: ChatMessage, line: string): void {
    if (player.room === undefined) return;
    ctx.toRoom(player.zone, player.room, chat, { except: player.username });
    ctx.toRoom(player.zone, player.room, text(line, chat.channel), { except: player.username });
  }

  touch(player: string, now: number): void {
    this.lastActive.set(player, now);
    this.warned.delete(player);
  }

  forget(player: string): void {
    this.lastActive.delete(player);
    this.warned.delete(player);
  }
}

/** `harbor:square` → `square`. */
export function splitLocal(id: string): string {
  return id.slice(id.indexOf(':') + 1);
}
