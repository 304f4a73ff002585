import type { JsonObject, JsonValue } from '@leviathan/protocol';
import type { CommandDefinition } from './command.js';
import type { CommandContext, GameContext } from './context.js';
import type { Location, Player } from './player.js';
import type { PresenceOptions } from './presence.js';
import type { GameService } from './service.js';
import type { Zone, ZoneDefinition } from './zone.js';

/**
 * How a player came into a shard: `resume` is a player taking back its character after a dropped
 * connection (it never left; the game may show it where it is again).
 */
export type EnterReason = 'login' | 'handoff' | 'restore' | 'resume';
/** How a player left a shard. */
export type LeaveReason = 'logout' | 'handoff' | 'kicked' | 'shutdown';

/** Work run every tick (or every `everyTicks` ticks) on each shard, for its zones. */
export interface SystemDefinition {
  readonly name: string;
  /** Run every N ticks. @default 1 */
  readonly everyTicks?: number;
  readonly run: (ctx: GameContext) => void;
}

/**
 * A game: loaded inside every shard worker from a module whose default export is a
 * GameDefinition, or a function `(options) => GameDefinition` (options: the server's
 * `gameOptions`). Every shard loads the same definition and runs the zones the map gives it.
 */
export interface GameDefinition {
  readonly name: string;
  /** Every zone of the game. */
  readonly zones: readonly ZoneDefinition[];
  /** Where a new player (with no saved state) starts. */
  readonly start: Location | ((username: string) => Location);
  // biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type (invariant in A)
  readonly commands: readonly CommandDefinition<any>[];
  readonly systems?: readonly SystemDefinition[];
  /** The state of a new player. @default {} */
  readonly newPlayerState?: (username: string) => JsonObject;
  /** Called when a zone is set up in a shard (first start or restart), with any restored entities. */
  readonly onZoneLoad?: (zone: Zone, ctx: GameContext) => void;
  /**
   * Called when a zone leaves this shard (on a cluster node, when it moves to another node), after
   * its players left; its state and entities are saved once more after the hook.
   */
  readonly onZoneUnload?: (zone: Zone, ctx: GameContext) => void;
  /** Called when a player arrives in this shard. */
  readonly onPlayerEnter?: (player: Player, ctx: GameContext, reason: EnterReason) => void;
  /** Called when a player leaves this shard. */
  readonly onPlayerLeave?: (player: Player, ctx: GameContext, reason: LeaveReason) => void;
  /** Called after a move inside this shard (and after `onPlayerEnter` on a handoff). */
  readonly onPlayerMove?: (player: Player, from: Location, ctx: GameContext) => void;
  /**
   * Called at the start of a tick for each message other shards sent with `ctx.tellShards` since
   * this shard's last tick, in the order each sent them; `from` is the sending shard's index. One
   * that throws is logged (`onShardMessage failed`, with the topic and sender) and counted as a
   * failing system is; the shard ticks on and the next message is still delivered.
   */
  readonly onShardMessage?: (topic: string, data: JsonValue, ctx: GameContext, from: number) => void;
  /** How `ctx.presence` tells rooms of arrivals and departures: when it summarises, and in what words. */
  readonly presence?: PresenceOptions;
  /** Called for a line whose first word is no command. Default: an `LEV_ERR_UNKNOWN_COMMAND` error. */
  readonly onUnknownCommand?: (ctx: CommandContext, word: string) => void;
  /**
   * Services started on the server's main thread once it listens, and closed first when it
   * shuts down (a telnet bridge, say). Shards load the definition too but never start them.
   */
  readonly services?: readonly GameService[];
}

/** Defines a game; identity at run time, it gives type checking and inference. */
export function defineGame(definition: GameDefinition): GameDefinition {
  return definition;
}

/** What a game module may export as default. */
export type GameModuleExport = GameDefinition | ((options: JsonValue | undefined) => GameDefinition);
