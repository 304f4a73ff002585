import type { JsonObject, JsonValue } from '@leviathan/protocol';
import type { ShardMessageRecord } from './shard-message.js';

/**
 * What a shard reports to main once per tick when anything changed (the state batch), and the
 * records it is made of. Main feeds it to the state cache (a restarted shard is rebuilt from it),
 * the directory every shard replicates, the handoff relay, the messages to the other shards
 * (`ctx.tellShards`) and the store's write-behind.
 */

/** A snapshot of a player, as the state cache and the store keep it. */
export interface PlayerSnapshot {
  readonly username: string;
  /** Increases with every persisted change of this player. */
  readonly version: number;
  readonly data: PlayerData;
}

/** A type alias, not an interface, so it is assignable to JsonObject (the store's row type). */
export type PlayerData = {
  readonly zone: string;
  readonly room: string | null;
  readonly state: JsonObject;
};

/** A world record: zone state (`<zone>/`) or an entity (`<zone>/<entity id>`). */
export interface WorldRecord {
  readonly key: string;
  readonly version: number;
  /** The data, or null when the entity was deleted. */
  readonly data: JsonValue | null;
}

/** One online player in the replicated directory, with the route to its socket. */
export interface DirectoryRecord {
  readonly username: string;
  readonly zone: string;
  readonly room: string | null;
  readonly shard: number;
  readonly roles: readonly string[];
  readonly since: number;
  readonly gateway: number;
  readonly conn: number;
}

/** A player moving between shards: everything the target needs to adopt it. */
export interface HandoffRecord {
  readonly to: number;
  readonly gateway: number;
  readonly conn: number;
  readonly username: string;
  readonly session: string;
  readonly roles: readonly string[];
  readonly capabilities: readonly string[];
  readonly since: number;
  readonly version: number;
  readonly zone: string;
  readonly room: string | null;
  readonly state: JsonObject;
}

/** Input that reached a shard for players it has handed off: passed on to `shard` (flat form). */
export interface ForwardedInput {
  readonly shard: number;
  readonly gateway: number;
  readonly ops: unknown[];
}

/** One shard's changes in one tick. */
export interface StateBatch {
  readonly shard: number;
  readonly tick: number;
  /** Dirty players' latest snapshots (and the final one of each player who left). */
  readonly players: PlayerSnapshot[];
  /** Players who logged out this tick (their final snapshot is in `players`). */
  readonly loggedOut: string[];
  /** Dirty world records. */
  readonly world: WorldRecord[];
  /** Directory changes: players now on this shard (new or moved), and players gone from it. */
  readonly upsert: DirectoryRecord[];
  readonly remove: string[];
  /** Players handed off to other shards. */
  readonly handoffs: HandoffRecord[];
  /** Input that arrived for players already handed off. */
  readonly forwards: ForwardedInput[];
  /** What the game told the other shards this tick (`ctx.tellShards`), in the order sent. */
  readonly messages: ShardMessageRecord[];
}
