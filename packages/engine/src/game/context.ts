import type { ErrorCode, JsonValue, RequestId, ServerMessage } from '@leviathan/protocol';
import type { CommandTable } from './command.js';
import type { Directory } from './directory.js';
import type { Location, Player } from './player.js';
import type { PresenceEvent } from './presence.js';
import type { Timers } from './timers.js';
import type { Entity, Zone } from './zone.js';

/**
 * Delivery priority of an outbound message. `low` messages (ambient events: presence, chatter,
 * ticks of animation) are the ones shed under load: past a budget per player per tick in the
 * shard, past a budget per socket per output batch in the gateway, and whenever a client reads
 * too slowly (counted in `leviathan_messages_dropped_total{reason}`). The socket is closed with
 * `CloseCode.SlowConsumer` only when even `normal` ones do not fit.
 */
export type Priority = 'normal' | 'low';

export interface SendOptions {
  /** @default 'normal' */
  priority?: Priority;
}

export interface BroadcastOptions extends SendOptions {
  /**
   * A player not to send to (usually the sender), or several (checked per recipient with a Set,
   * so a long list costs a lookup per recipient, not a scan).
   */
  except?: string | readonly string[];
}

/** The shard's logger, the engine's structured JSON logger. */
export interface GameLogger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/**
 * CPU-heavy stateless work off the tick (path finding, generation, hashing): a piscina pool shared
 * by every shard. `task` is a module path or URL whose default export takes `input`.
 */
export interface JobRunner {
  run<I, O>(task: string | URL, input: I): Promise<O>;
}

/**
 * What game code can do, inside systems, hooks and commands. Every method is synchronous and cheap:
 * sends are queued and leave in this tick's outbound batch, one per gateway, each message encoded
 * once however many players receive it.
 */
export interface GameContext {
  /** This shard's index and the number of shards. */
  readonly shard: { readonly index: number; readonly count: number };
  /** The current tick number of this shard (starts at 1). */
  readonly tick: number;
  /** Time of this tick, in milliseconds since the epoch. */
  readonly now: number;
  /** Milliseconds since the previous tick (the real elapsed time, also after an overrun). */
  readonly dt: number;
  /** Options given to the server as `gameOptions`. */
  readonly options: JsonValue | undefined;
  /** Zones owned by this shard. */
  readonly zones: ReadonlyMap<string, Zone>;
  /** Every zone id the game declares, on any shard. */
  readonly allZones: readonly string[];
  /** A zone of this shard, or undefined when another shard owns it. */
  zone(id: string): Zone | undefined;
  /** A player on this shard, by name. */
  findPlayer(username: string): Player | undefined;
  /** Every online player on every shard (replicated once per tick). */
  readonly directory: Directory;
  /** Sends to one player, on any shard. False when the player is not online. */
  sendTo(target: string | Player, message: ServerMessage, options?: SendOptions): boolean;
  /** Sends to every player in a room, on any shard. */
  toRoom(zone: string, room: string, message: ServerMessage, options?: BroadcastOptions): void;
  /** Sends to every player in a zone, on any shard. */
  toZone(zone: string, message: ServerMessage, options?: BroadcastOptions): void;
  /** Sends to every online player. */
  toAll(message: ServerMessage, options?: BroadcastOptions): void;
  /**
   * Tells a room someone arrived or left: a structured `presence` (to clients with the `events`
   * capability) and the event's `text` line, to everyone there but the player it is about. Events
   * are collected per room and sent at the end of the tick (after what the tick's commands sent):
   * one by one while they are few, as one summary per kind past `GameDefinition.presence`'s
   * `summaryAbove` (a `presence` carrying `count` and `names`, and one line such as "Ann, Bob, Cy
   * and 9 others arrive."), so a crowd forming costs each player present a message per tick, not
   * one per arrival. Recipients are the room's occupants at the end of the tick.
   */
  presence(zone: string, room: string, event: PresenceEvent): void;
  /**
   * Moves a player of this shard. Within the shard's zones the move happens now; into a zone of
   * another shard the player is handed off at the end of the tick and adopted there at its next
   * tick (`onPlayerEnter` with `'handoff'`); the client notices nothing.
   */
  movePlayer(player: Player, to: Location): void;
  /**
   * Tells every other shard of the world something (a line said on a channel, a room built), for
   * what `sendTo` and `toAll` cannot do: change what the other shards know. Each of them hands it
   * to `GameDefinition.onShardMessage` at the start of its next tick, in the order sent; this shard
   * does not get its own (act on it here at once). It is a live channel, not a store: a shard that
   * is down or restarting when a message is relayed misses it, and a message sent in the tick a
   * shard crashes is lost with the tick. `data` must be plain JSON (no undefined, NaN, class
   * instance or cycle: a TypeError), of at most 64 KiB as JSON (else a RangeError), and a shard
   * sends at most 100 messages per tick (the 101st throws a RangeError); a topic is 1 to 100
   * characters. On a cluster, the shards of the other nodes get it too.
   */
  tellShards(topic: string, data: JsonValue): void;
  /** Marks a player, entity or zone state as changed so it is persisted. */
  markDirty(target: Player | Entity | Zone): void;
  /**
   * Closes a player's connection with a `bye` carrying `code` (a CloseCode of
   * `@leviathan/protocol`: `Idle` 4005 for an idle logout; default `Kicked` 4009). The player
   * leaves the world, even one held after a dropped connection.
   */
  kick(player: string | Player, reason: string, code?: number): void;
  /**
   * Asks the server to shut down gracefully (bye to everyone, shards drained, state flushed), as
   * SIGTERM does under the CLI; it works the same in an embedded server. The server logs the
   * reason and emits `shutdown-requested` before it closes. Returns at once.
   */
  requestShutdown(reason: string): void;
  readonly timers: Timers;
  /** The job pool, where the server has one. */
  readonly jobs: JobRunner | undefined;
  readonly log: GameLogger;
  /** Every command of the game, for generated help. */
  readonly commands: CommandTable;
}

/** The context of a command: a GameContext plus the player who sent it and the way to answer. */
export interface CommandContext extends GameContext {
  readonly player: Player;
  /** The player's zone (always on this shard while the command runs). */
  readonly here: Zone;
  /** The full line as typed (for `cmd`), or the action name (for `action`). */
  readonly line: string;
  /** The request id, where the client gave one. */
  readonly id: RequestId | undefined;
  /**
   * Answers the command. With a request id, everything replied is gathered into the one `reply`
   * carrying `re` (texts joined by newlines, the last `data` wins); without one, each text is sent
   * as a `text` message.
   */
  reply(text: string, data?: JsonValue): void;
  /** Answers with a failure: `reply.ok` is false (or an `error` with `code` when there is no id). */
  fail(message: string, code?: ErrorCode): void;
  /** Sends a message to the player who sent the command. */
  send(message: ServerMessage, options?: SendOptions): void;
}
