import type { CommandContext, DirectoryEntry, GameContext, Player, Priority, Zone } from '@leviathan/engine';
import type { ChatMessage, PresenceMessage, RoomMessage, TextMessage } from '@leviathan/protocol';
import { type RandomSource, seededRandom } from '../character/combat-round.js';
import { renderRoom } from '../render/room-text.js';
import { sentence } from '../render/text.js';
import type { World } from '../world/world-types.js';
import { CROWD, ROOM_VIEW_LISTS_ALL, ROOM_VIEW_NAMES, WHO_FRESH_UNDER } from './crowd.js';
import { FightChatter } from './fight-chatter.js';
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
import { OOC_HISTORY_LINES, OocHistory } from './ooc-history.js';
import { zoneMemory } from './zone-memory.js';

export function text(textValue: string, channel?: string): TextMessage {
  return channel === undefined
    ? { type: 'text', text: textValue }
    : { type: 'text', text: textValue, channel };
}

/** A line about what the player did, to everyone else in the player's room (nothing when roomless). */
export function tellOthersInRoom(ctx: CommandContext, line: string): void {
  const room = ctx.player.room;
  if (room === undefined) return;
  ctx.toRoom(ctx.player.zone, room, text(line, 'room'), { except: ctx.player.username });
}

/**
 * The MUD as one shard runs it: the world (every shard loads all of it, so titles and NPC
 * definitions of other shards' zones are known), the options, and what a shard keeps in memory
 * only (activity for idle checks, the times of the next fight round and healing pulse). Everything
 * that must survive a restart or a handoff lives in player state, zone entities and zone state
 * (zone-memory.ts) instead.
 */
export class MudRuntime {
  readonly world: World;
  readonly options: MudOptions;
  /** Last command time per player of this shard, in ms since the epoch. */
  readonly lastActive = new Map<string, number>();
  /** Players warned about idling, so the warning is sent once. */
  readonly warned = new Set<string>();
  /** Players adopted from another shard this tick, whose arrival was already told. */
  readonly handedOff = new Set<string>();
  /** The world's last lines of the `ooc` channel, as this shard learned them (ooc-history.ts). */
  readonly ooc = new OocHistory(OOC_HISTORY_LINES);
  /** Bystanders' lines of fights, summarised per tick in a crowded room. */
  readonly fightChatter = new FightChatter();
  /** The fights' random source: seeded by `combatSeed` (repeatable fights), else Math.random. */
  readonly random: RandomSource;
  /** When this shard next resolves a combat round and a healing pulse, in ms since the epoch. */
  nextCombatRoundAt = 0;
  nextRegenAt = 0;
  #nextId = 0;
  readonly #idPrefix: string;
  /** The sorted who list, when it was made and how many were online then. */
  #who: { at: number; size: number; list: DirectoryEntry[] } | undefined;

  constructor(world: World, options: MudOptions, now = Date.now()) {
    this.world = world;
    this.options = options;
    this.random = options.combatSeed === undefined ? Math.random : seededRandom(options.combatSeed);
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

  /**
   * Sets a zone up from the world when a shard loads it, on top of what the store restored. Every
   * NPC the world puts in the zone gets its entity if it has none (a dead NPC keeps its entity, so
   * only one new in the world file is added). The world's items are placed once, the first time
   * (zone-memory.ts `itemsPlaced`); afterwards the zone's entities are the truth, so a restart
   * brings back exactly what lay there. Whatever is added is written at once (the zone is marked).
   */
  populate(zone: Zone, ctx: GameContext): void {
    const memory = zoneMemory(zone);
    let added = false;
    for (const npc of this.world.npcs.values()) {
      if (npc.zone !== zone.id || zone.entities.has(`npc-${npc.id}`)) continue;
      const data: NpcEntityData = {
        npc: npc.id,
        nextMoveAt: ctx.now + (npc.wander ? npc.wander.everySec * 1000 : 0),
      };
      zone.entities.set(`npc-${npc.id}`, {
        id: `npc-${npc.id}`,
        kind: NPC,
        room: splitLocal(npc.spawn),
        data: data as never,
      });
      added = true;
    }
    if (!memory.itemsPlaced) {
      // A zone saved before this mark existed was placed if it came back with any item.
      if (![...zone.entities.values()].some((e) => e.kind === ITEM)) {
        for (const rid of this.world.zones.get(zone.id)?.rooms ?? []) {
          const room = this.world.rooms.get(rid)!;
          for (const item of room.items) this.spawnItem(zone, splitLocal(rid), item, true);
        }
      }
      memory.itemsPlaced = true;
      added = true;
    }
    if (added) ctx.markDirty(zone);
  }

  /** The structured view of the player's room (without the player among the occupants). */
  roomView(ctx: GameContext, player: Player): RoomMessage | undefined {
    const zone = ctx.zone(player.zone);
    if (!zone || player.room === undefined) return undefined;
    const here = zone.occupants(player.room);
    return this.#view(zone, player.room, player.username, here.has(player) ? here.size - 1 : here.size);
  }

  /**
   * A room's view for one who is there and is not `exclude` (the viewer), when `others` other
   * players are there: everyone listed up to ROOM_VIEW_LISTS_ALL, else the first ROOM_VIEW_NAMES
   * (the longest there) and `occupantCount`. Costs the names it lists, not the crowd.
   */
  #view(zone: Zone, room: string, exclude: string | undefined, others: number): RoomMessage | undefined {
    const def = this.world.rooms.get(roomId(zone.id, room));
    if (!def) return undefined;
    const occupants: RoomMessage['occupants'] = [];
    for (const n of npcsInRoom(this.world, zone, room)) occupants.push({ name: n.def.name, kind: 'npc' });
    const npcs = occupants.length;
    const limit = others <= ROOM_VIEW_LISTS_ALL ? others : ROOM_VIEW_NAMES;
    for (const p of zone.occupants(room)) {
      if (occupants.length - npcs === limit) break;
      if (p.username !== exclude) occupants.push({ name: p.username, kind: 'player' });
    }
    const view: RoomMessage = {
      type: 'room',
      id: def.id,
      zone: def.zone,
      title: def.title,
      description: def.description,
      exits: def.exits.map((e) => ({
        direction: e.direction,
        to: this.world.rooms.get(e.to)?.title ?? e.to,
        room: e.to,
      })),
      occupants,
      items: itemsInRoom(this.world, zone, room).map((i) => ({ id: i.entity.id, name: i.def.name })),
    };
    if (others > limit) view.occupantCount = npcs + others;
    return view;
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
   * told in words by the command itself. In a crowd, one view for all (encoded once) and their
   * own to the few it names, so nobody is listed to themselves: the crowd costs one message each.
   */
  refreshRoom(ctx: GameContext, zone: Zone, room: string): void {
    const here = zone.occupants(room);
    if (here.size <= ROOM_VIEW_LISTS_ALL + 1) {
      for (const p of [...here]) {
        if (!p.capabilities.includes('events')) continue;
        const view = this.roomView(ctx, p);
        if (view) ctx.sendTo(p, view, { priority: 'low' });
      }
      return;
    }
    // Every recipient of the shared view is one of the players there, and not one it names.
    const shared = this.#view(zone, room, undefined, here.size - 1);
    if (!shared) return;
    const named = shared.occupants.filter((o) => o.kind === 'player').map((o) => o.name);
    ctx.toRoom(zone.id, room, shared, { priority: 'low', except: named });
    for (const name of named) {
      const p = ctx.findPlayer(name);
      const view = p?.capabilities.includes('events') ? this.roomView(ctx, p) : undefined;
      if (p && view) ctx.sendTo(p, view, { priority: 'low' });
    }
  }

  /**
   * Tells the room someone arrived or left (through `ctx.presence`: the `presence` event and the
   * line, never to the one it is about; summarised per tick when a crowd arrives or leaves).
   */
  presence(
    ctx: GameContext,
    zone: string,
    room: string | undefined,
    event: PresenceMessage['event'],
    name: string,
    kind: PresenceMessage['kind'],
    line: string,
    opts: { direction?: string | undefined; priority?: Priority } = {},
  ): void {
    if (room === undefined) return;
    ctx.presence(zone, room, {
      event,
      name,
      kind,
      text: sentence(line),
      direction: opts.direction,
      priority: opts.priority ?? 'normal',
    });
  }

  /**
   * Everyone online, sorted by name (as `who` lists them): sorted again when someone came or
   * went, or a second passed (someone may have come and someone gone); in a crowd
   * (WHO_FRESH_UNDER players or more), once a second at most. With 3,000 players logging in
   * and typing `who`, sorting everyone once per tick was the shard's largest cost after the
   * replies themselves (3.5 % of its profile, in benchmarks/src/crowd).
   */
  whoList(ctx: GameContext): readonly DirectoryEntry[] {
    const who = this.#who;
    const online = ctx.directory.size;
    const age = who === undefined ? Number.POSITIVE_INFINITY : ctx.now - who.at;
    if (age >= 1000 || (who?.size !== online && online < WHO_FRESH_UNDER)) {
      const keyed = [...ctx.directory.values()].map((e) => ({ e, key: e.username.toLowerCase() }));
      keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.e.username < b.e.username ? -1 : 1));
      this.#who = { at: ctx.now, size: ctx.directory.size, list: keyed.map((k) => k.e) };
    }
    return this.#who!.list;
  }

  /**
   * Talk in a room: the `chat` event and its text, to everyone there but the speaker; in a crowd
   * (CROWD players or more), with low priority.
   */
  roomChat(ctx: GameContext, player: Player, chat: ChatMessage, line: string): void {
    if (player.room === undefined) return;
    const crowded = (ctx.zone(player.zone)?.occupants(player.room).size ?? 0) >= CROWD;
    const options = { except: player.username, priority: crowded ? ('low' as const) : ('normal' as const) };
    ctx.toRoom(player.zone, player.room, chat, options);
    ctx.toRoom(player.zone, player.room, text(line, chat.channel), options);
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
