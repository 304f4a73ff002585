import type { JsonObject, JsonValue } from '@leviathan/protocol';

/**
 * The per-tick batches between gateway and shard threads, sent over a direct MessageChannel per
 * pair (main never relays them).
 *
 * Encoding: flat arrays of primitives, structured-cloned by postMessage. Measured here (Node 20,
 * 200 four-field records per batch, post + receive + decode): flat array structured clone
 * 0.21 µs/record, msgpackr into a transferred ArrayBuffer 0.25–0.29 µs/record, JSON string
 * 0.27 µs/record. So the flat array wins and needs no codec; see benchmarks/src/engine.
 */

/** Opcodes of an InputBatch (gateway → shard). Each record is the opcode then its fields. */
export const InputOp = {
  /** [JOIN, conn, username, session, roles[], capabilities[], since, snapshot | null, isRestore] */
  Join: 1,
  /** [CMD, conn, line, id | null, receivedAt] */
  Command: 2,
  /** [ACTION, conn, name, args | null, id | null, receivedAt] */
  Action: 3,
  /** [LEAVE, conn, reason] */
  Leave: 4,
  /**
   * [ROUTED, conn]: sent by the gateway to the shard a player left, when it switches the route to
   * the new shard. The old shard forwards it behind every input it still had, so the new shard
   * knows when the forwarded input is complete (see ShardRuntime: ordering across a handoff).
   */
  Routed: 5,
  /**
   * [RESUME, conn]: a new connection took back this player after a drop (the gateway already
   * replayed what it missed); the game's onPlayerEnter runs with reason 'resume'.
   */
  Resume: 6,
} as const;

/** Number of fields after the opcode, per opcode (records are fixed-size, so a reader can skip). */
export const INPUT_ARITY: Readonly<Record<number, number>> = {
  [InputOp.Join]: 8,
  [InputOp.Command]: 4,
  [InputOp.Action]: 5,
  [InputOp.Leave]: 2,
  [InputOp.Routed]: 1,
  [InputOp.Resume]: 1,
};

/** A gateway's input for one shard: records of `InputOp`. */
export interface InputBatch {
  readonly gateway: number;
  readonly ops: unknown[];
}

/** Delivery flags of an outbound record. */
export const SendFlag = {
  /** Droppable when the socket is congested. */
  Low: 1,
  /** A `reply`: its receivedAt is in `timings` for the command-latency histogram. */
  Reply: 2,
  /**
   * A structured event (`room`, `presence`, `chat`, `event`): written only to connections granted
   * the `events` capability. Set by the shard from the message type it encodes, so the gateway
   * decides with one bit test instead of parsing JSON.
   */
  Event: 4,
} as const;

/** SendFlag.Event for the structured-event message types, else 0. */
export function eventFlag(type: string): number {
  return type === 'room' || type === 'presence' || type === 'chat' || type === 'event' ? SendFlag.Event : 0;
}

/**
 * A shard's output for one gateway, once per tick. Strings are encoded once per tick however
 * many sockets receive them: `sends` and `all` refer to them by index.
 */
export interface OutputBatch {
  readonly shard: number;
  /** Encoded server messages (JSON text). */
  readonly strings: string[];
  /** Triplets: conn, string index, SendFlag bits. */
  readonly sends: number[];
  /** Triplets for messages to every socket of the gateway: string index, flags, except conn (-1 none). */
  readonly all: number[];
  /**
   * Pairs: conn, new shard index (the player was adopted by that shard), or -1: this shard does
   * not know the player, the gateway joins it there again.
   */
  readonly routes: number[];
  /** Triplets: conn, close code, reason (the connection gets a `bye` and is closed). */
  readonly kicks: Array<number | string>;
  /** Gateway receipt times (performance.timeOrigin-based ms) of the commands answered. */
  readonly timings: number[];
  /** Epoch ms of this shard's next scheduled tick, so the gateway flushes input just before it. */
  readonly nextTickAt: number;
  readonly tickMs: number;
}

/** A snapshot of a player, as the StateCache and the store keep it. */
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

/** One online player in the replicated directory (internal: with the route to its socket). */
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

/**
 * The state batch (shard → main), once per tick when anything changed. It feeds the StateCache
 * (supervision), the directory, and the store's write-behind.
 */
export interface StateBatch {
  readonly shard: number;
  readonly tick: number;
  /** Dirty players' latest snapshots. */
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
  /** Input records that arrived for players already handed off: [target shard, gateway, ops]. */
  readonly forwards: Array<[number, number, unknown[]]>;
}
