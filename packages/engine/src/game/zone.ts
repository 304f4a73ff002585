import type { JsonObject } from '@leviathan/protocol';
import type { Player } from './player.js';

/** A zone as the game declares it. Each zone lives in exactly one shard (see `zoneShards`). */
export interface ZoneDefinition {
  /** Stable id: it decides the zone's shard (by `zoneShards`, else a hash of the id). */
  readonly id: string;
  /** Free data for the game (titles, room tables, spawn lists...). */
  readonly data?: unknown;
}

/**
 * A thing in a zone that is not a player: an NPC, an item on the floor, a door's state. The engine
 * persists entities marked dirty (`ctx.markDirty(entity)`) as world records keyed
 * `<zone>/<entity id>`.
 */
export interface Entity<D extends object = JsonObject> {
  readonly id: string;
  /** What kind of thing it is, chosen by the game (`npc`, `item`, ...). */
  kind: string;
  /** The room it is in, where the game has rooms. */
  room?: string | undefined;
  /** JSON-serializable data. */
  data: D;
}

/** A zone loaded in this shard: its entities and the players in it. */
export interface Zone<Z extends object = JsonObject> {
  readonly id: string;
  readonly definition: ZoneDefinition;
  /** Zone-wide JSON-serializable state (persisted as the world record `<zone>/`). */
  state: Z;
  /** Entities by id. Add, change or delete freely; mark changed ones dirty to persist them. */
  readonly entities: Map<string, Entity>;
  /** Players in the zone now. */
  players(): IterableIterator<Player>;
  /** Players in one room of the zone, as a new array (a copy: in a crowd, prefer `occupants`). */
  playersInRoom(room: string): Player[];
  /**
   * The players in one room, as the zone's live set: no copy, whatever the crowd; `.size` counts
   * them. Read it during the tick and do not keep it (it changes as players move).
   */
  occupants(room: string): ReadonlySet<Player>;
  /** Number of players in the zone. */
  readonly playerCount: number;
}
