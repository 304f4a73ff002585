import type { JsonObject } from '@leviathan/protocol';
import type { Player } from '../game/player.js';
import type { Entity, Zone, ZoneDefinition } from '../game/zone.js';

/** A player on this shard: the public Player plus the route to its socket. */
export class PlayerImpl implements Player {
  readonly username: string;
  readonly session: string;
  readonly roles: readonly string[];
  readonly capabilities: readonly string[];
  zone: string;
  room: string | undefined;
  state: JsonObject;
  /** The route to its socket; a resume on another gateway moves it (PlayerRegistry.rekey). */
  gateway: number;
  conn: number;
  /** gateway × 2³² + conn: the key of this connection in every map of the shard. */
  key: number;
  readonly since: number;
  version: number;
  /** The output epoch (tick) `lowSent` counts in: FanOut's per-player budget of low-priority messages. */
  lowEpoch = 0;
  lowSent = 0;
  lowBytes = 0;

  constructor(init: {
    username: string;
    session: string;
    roles: readonly string[];
    capabilities: readonly string[];
    zone: string;
    room: string | undefined;
    state: JsonObject;
    gateway: number;
    conn: number;
    since: number;
    version: number;
  }) {
    this.username = init.username;
    this.session = init.session;
    this.roles = init.roles;
    this.capabilities = init.capabilities;
    this.zone = init.zone;
    this.room = init.room;
    this.state = init.state;
    this.gateway = init.gateway;
    this.conn = init.conn;
    this.key = connKey(init.gateway, init.conn);
    this.since = init.since;
    this.version = init.version;
  }
}

export function connKey(gateway: number, conn: number): number {
  return gateway * 0x1_0000_0000 + conn;
}

/** The key of players without a room in a zone's room index. */
const NO_ROOM = '';

/**
 * A zone loaded in this shard. Players are indexed by room as well, so a message to a room costs
 * its occupants, not the whole zone (a crowd at a spawn point must not make every other room's
 * `say` pay for it).
 */
export class ZoneImpl implements Zone {
  readonly id: string;
  readonly definition: ZoneDefinition;
  state: JsonObject = {};
  readonly entities = new Map<string, Entity>();
  readonly members = new Set<PlayerImpl>();
  readonly #rooms = new Map<string, Set<PlayerImpl>>();
  /** Entity keys written to the store before, to write tombstones for deleted ones. */
  readonly persistedKeys = new Set<string>();

  constructor(definition: ZoneDefinition) {
    this.id = definition.id;
    this.definition = definition;
  }

  get playerCount(): number {
    return this.members.size;
  }

  players(): IterableIterator<Player> {
    return this.members.values();
  }

  playersInRoom(room: string): Player[] {
    return [...(this.#rooms.get(room) ?? [])];
  }

  /** The players in `room` (live set: do not keep it past the tick). */
  occupants(room: string | undefined): ReadonlySet<PlayerImpl> {
    return this.#rooms.get(room ?? NO_ROOM) ?? EMPTY;
  }

  /** Adds a player (at `player.room`). */
  enter(player: PlayerImpl): void {
    this.members.add(player);
    const key = player.room ?? NO_ROOM;
    let room = this.#rooms.get(key);
    if (room === undefined) {
      room = new Set();
      this.#rooms.set(key, room);
    }
    room.add(player);
  }

  /** Removes a player from `room` (where it is, unless told otherwise). */
  leave(player: PlayerImpl, from: string | undefined = player.room): void {
    this.members.delete(player);
    const key = from ?? NO_ROOM;
    const room = this.#rooms.get(key);
    if (room === undefined) return;
    room.delete(player);
    if (room.size === 0) this.#rooms.delete(key);
  }
}

const EMPTY: ReadonlySet<PlayerImpl> = new Set();
