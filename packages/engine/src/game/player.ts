import type { JsonObject } from '@leviathan/protocol';

/**
 * A player as game code sees it inside the shard that owns the player's zone. The engine moves the
 * object between shards on handoff (its `state` is serialized and adopted), so game code keeps no
 * references to players across ticks: it looks them up by name.
 */
export interface Player<S extends object = JsonObject> {
  /** The account name, unique among online players. */
  readonly username: string;
  /** This connection's session id (`auth-ok.session`). */
  readonly session: string;
  /** Roles from the auth verifier, for `CommandDefinition.role`. */
  readonly roles: readonly string[];
  /** Capabilities granted at login (`Capability`). */
  readonly capabilities: readonly string[];
  /** The zone the player is in. Change it with `ctx.movePlayer`. */
  readonly zone: string;
  /** The room inside the zone, where the game has rooms. Change it with `ctx.movePlayer`. */
  readonly room: string | undefined;
  /**
   * Game-defined state, persisted and carried across shards: keep it JSON-serializable (plain
   * objects, arrays, strings, numbers, booleans, null). Call `ctx.markDirty(player)` after a change.
   */
  state: S;
}

/** Where a player is: a zone and, where the game has rooms, a room. */
export interface Location {
  zone: string;
  room?: string | undefined;
}
