import { ErrorCode, type JsonValue, type RequestId, type ServerMessage } from '@leviathan/protocol';
import type { CommandTable } from '../game/command.js';
import type {
  BroadcastOptions,
  CommandContext,
  GameLogger,
  JobRunner,
  SendOptions,
} from '../game/context.js';
import type { Directory } from '../game/directory.js';
import type { Location, Player } from '../game/player.js';
import type { PresenceEvent } from '../game/presence.js';
import type { Timers } from '../game/timers.js';
import type { Entity, Zone } from '../game/zone.js';
import { SendFlag } from '../ipc/output-batch.js';
import type { FanOut } from './fan-out.js';
import type { PlayerImpl, ZoneImpl } from './world-objects.js';

/** What the context reaches in its shard (implemented by Shard). */
export interface ContextHost {
  readonly index: number;
  readonly count: number;
  /** The number of the tick running now. */
  readonly currentTick: number;
  readonly tickAt: number;
  readonly dt: number;
  readonly zones: ReadonlyMap<string, ZoneImpl>;
  readonly allZones: readonly string[];
  readonly directory: Directory;
  readonly timers: Timers;
  readonly commands: CommandTable;
  readonly fanOut: FanOut;
  findPlayer(username: string): Player | undefined;
  movePlayer(player: Player, to: Location): void;
  markDirty(target: Player | Entity | Zone): void;
  tellShards(topic: string, data: JsonValue): void;
  requestShutdown(reason: string): void;
}

/**
 * The context given to commands, systems and hooks: one object per shard, whose command fields
 * are reset per command instead of allocating a context per command (a stable shape, no garbage
 * per input). Outside a command, the command-only members throw.
 */
export class ShardContext implements CommandContext {
  readonly #host: ContextHost;
  readonly options: JsonValue | undefined;
  readonly jobs: JobRunner | undefined;
  readonly log: GameLogger;
  readonly shard: { readonly index: number; readonly count: number };
  #player: PlayerImpl | undefined = undefined;
  #here: ZoneImpl | undefined = undefined;
  #line = '';
  #id: RequestId | undefined = undefined;
  #receivedAt = 0;
  #replyText: string | undefined = undefined;
  #replyData: JsonValue | undefined = undefined;
  #ok = true;

  constructor(
    host: ContextHost,
    options: JsonValue | undefined,
    jobs: JobRunner | undefined,
    log: GameLogger,
  ) {
    this.#host = host;
    this.options = options;
    this.jobs = jobs;
    this.log = log;
    this.shard = { index: host.index, count: host.count };
  }

  /** Starts a command: the fields command code reads. */
  begin(player: PlayerImpl, here: ZoneImpl, line: string, id: RequestId | null, receivedAt: number): void {
    this.#player = player;
    this.#here = here;
    this.#line = line;
    this.#id = id ?? undefined;
    this.#receivedAt = receivedAt;
    this.#replyText = undefined;
    this.#replyData = undefined;
    this.#ok = true;
  }

  /** Sends the reply carrying `re` (when the request had an id) and clears the command state. */
  end(): void {
    const p = this.#player!;
    const id = this.#id;
    const fanOut = this.#host.fanOut;
    if (id !== undefined) {
      const reply: ServerMessage = { type: 'reply', re: id, ok: this.#ok };
      if (this.#replyText !== undefined) reply.text = this.#replyText;
      if (this.#replyData !== undefined) reply.data = this.#replyData;
      fanOut.sendRaw(p.gateway, p.conn, JSON.stringify(reply), SendFlag.Reply);
    }
    fanOut.timing(p.gateway, this.#receivedAt);
    this.#player = undefined;
    this.#here = undefined;
  }

  get player(): Player {
    if (this.#player === undefined) throw new Error('ctx.player is only available inside a command');
    return this.#player;
  }
  get here(): Zone {
    if (this.#here === undefined) throw new Error('ctx.here is only available inside a command');
    return this.#here;
  }
  get line(): string {
    return this.#line;
  }
  get id(): RequestId | undefined {
    return this.#id;
  }
  get tick(): number {
    return this.#host.currentTick;
  }
  get now(): number {
    return this.#host.tickAt;
  }
  get dt(): number {
    return this.#host.dt;
  }
  get zones(): ReadonlyMap<string, Zone> {
    return this.#host.zones;
  }
  get allZones(): readonly string[] {
    return this.#host.allZones;
  }
  get directory(): Directory {
    return this.#host.directory;
  }
  get timers(): Timers {
    return this.#host.timers;
  }
  get commands(): CommandTable {
    return this.#host.commands;
  }

  zone(id: string): Zone | undefined {
    return this.#host.zones.get(id);
  }
  findPlayer(username: string): Player | undefined {
    return this.#host.findPlayer(username);
  }

  reply(text: string, data?: JsonValue): void {
    const p = this.#player;
    if (p === undefined) throw new Error('ctx.reply is only available inside a command');
    if (this.#id === undefined) {
      const fanOut = this.#host.fanOut;
      fanOut.sendRaw(p.gateway, p.conn, JSON.stringify({ type: 'text', text }), 0);
      if (data !== undefined)
        fanOut.sendRaw(
          p.gateway,
          p.conn,
          JSON.stringify({ type: 'event', name: 'reply', data }),
          SendFlag.Event,
        );
      return;
    }
    this.#replyText = this.#replyText === undefined ? text : `${this.#replyText}\n${text}`;
    if (data !== undefined) this.#replyData = data;
  }

  fail(message: string, code: ErrorCode = ErrorCode.CommandFailed): void {
    const p = this.#player;
    if (p === undefined) throw new Error('ctx.fail is only available inside a command');
    if (this.#id === undefined) {
      this.#host.fanOut.sendRaw(p.gateway, p.conn, JSON.stringify({ type: 'error', code, message }), 0);
      return;
    }
    this.#ok = false;
    this.#replyText = this.#replyText === undefined ? message : `${this.#replyText}\n${message}`;
  }

  send(message: ServerMessage, options?: SendOptions): void {
    const p = this.#player;
    if (p === undefined) throw new Error('ctx.send is only available inside a command');
    this.#host.fanOut.sendToPlayer(p, message, options?.priority);
  }

  sendTo(target: string | Player, message: ServerMessage, options?: SendOptions): boolean {
    return this.#host.fanOut.sendTo(target, message, options);
  }
  toRoom(zone: string, room: string, message: ServerMessage, options?: BroadcastOptions): void {
    this.#host.fanOut.toRoom(zone, room, message, options);
  }
  toZone(zone: string, message: ServerMessage, options?: BroadcastOptions): void {
    this.#host.fanOut.toZone(zone, message, options);
  }
  toAll(message: ServerMessage, options?: BroadcastOptions): void {
    this.#host.fanOut.toAll(message, options);
  }
  presence(zone: string, room: string, event: PresenceEvent): void {
    this.#host.fanOut.presence(zone, room, event);
  }
  movePlayer(player: Player, to: Location): void {
    this.#host.movePlayer(player, to);
    const p = player as PlayerImpl;
    if (player === this.#player && p.zone !== this.#here?.id)
      this.#here = this.#host.zones.get(p.zone) ?? this.#here;
  }
  markDirty(target: Player | Entity | Zone): void {
    this.#host.markDirty(target);
  }
  kick(player: string | Player, reason: string, code?: number): void {
    this.#host.fanOut.kick(typeof player === 'string' ? player : player.username, reason, code);
  }
  tellShards(topic: string, data: JsonValue): void {
    this.#host.tellShards(topic, data);
  }
  requestShutdown(reason: string): void {
    this.#host.requestShutdown(reason);
  }
}
