import {
  CloseCode,
  ErrorCode,
  type JsonObject,
  type JsonValue,
  type RequestId,
  type ServerMessage,
} from '@leviathan/protocol';
import { CommandError, UnknownZoneError } from '../errors.js';
import type { CommandDefinition } from '../game/command.js';
import type {
  BroadcastOptions,
  CommandContext,
  GameLogger,
  JobRunner,
  SendOptions,
} from '../game/context.js';
import type { EnterReason, GameDefinition, LeaveReason } from '../game/game-definition.js';
import type { Location, Player } from '../game/player.js';
import type { Entity, Zone } from '../game/zone.js';
import {
  type DirectoryRecord,
  eventFlag,
  type HandoffRecord,
  INPUT_ARITY,
  InputOp,
  type OutputBatch,
  type PlayerSnapshot,
  SendFlag,
  type StateBatch,
  type WorldRecord,
} from '../ipc/batches.js';
import { CommandTableImpl } from './command-table.js';
import { DirectoryReplica } from './directory-replica.js';
import { Outbox } from './outbox.js';
import { TimerQueue } from './timer-queue.js';
import { connKey, PlayerImpl, ZoneImpl } from './world-objects.js';

export interface ShardRuntimeOptions {
  readonly index: number;
  readonly count: number;
  readonly gateways: number;
  readonly game: GameDefinition;
  readonly gameOptions: JsonValue | undefined;
  readonly zoneMap: Readonly<Record<string, number>>;
  readonly log: GameLogger;
  readonly jobs?: JobRunner | undefined;
  readonly restore?: { players: PlayerSnapshot[]; world: WorldRecord[] } | null;
  readonly directory?: readonly DirectoryRecord[];
  readonly now: () => number;
  /** Called when the game asks the server to shut down (ctx.requestShutdown). */
  readonly onShutdownRequest?: (reason: string) => void;
}

/** Counters the worker turns into metrics. */
export interface ShardCounters {
  commands: number;
  commandErrors: number;
  systemErrors: number;
}

/** How long a handed-off player's inputs are forwarded to its new shard, in ticks. */
const FORWARD_TICKS = 600;
/** Longest wait for the ROUTED marker after a handoff before held input runs anyway, in ticks. */
const HOLD_TICKS = 20;

/**
 * The game as one shard runs it: its zones, its players, and the context game code sees. The
 * worker feeds it input records and control messages; each `tick()` runs them, then the systems
 * and timers, and leaves one OutputBatch per gateway and one StateBatch for main.
 *
 * One context object serves every command, hook and system of the shard: its fields are reset
 * per command instead of allocating a context per command (stable shape, no garbage per input).
 */
export class ShardRuntime {
  readonly index: number;
  readonly count: number;
  readonly game: GameDefinition;
  readonly zones = new Map<string, ZoneImpl>();
  readonly directory = new DirectoryReplica();
  readonly commands: CommandTableImpl;
  readonly timers: TimerQueue;
  readonly counters: ShardCounters = { commands: 0, commandErrors: 0, systemErrors: 0 };
  readonly #gateways: number;
  readonly #zoneMap: Readonly<Record<string, number>>;
  readonly #allZones: string[];
  readonly #log: GameLogger;
  readonly #byKey = new Map<number, PlayerImpl>();
  readonly #byName = new Map<string, PlayerImpl>();
  readonly #forwardTo = new Map<number, { shard: number; until: number }>();
  /** Input from the gateway for just-adopted players, waiting for the old shard's ROUTED marker. */
  readonly #held = new Map<number, { until: number; ops: unknown[] }>();
  readonly #outboxes: Outbox[] = [];
  readonly #restorePlayers = new Map<string, PlayerSnapshot>();
  readonly #ctx: ContextImpl;
  readonly #onShutdownRequest: ((reason: string) => void) | undefined;
  readonly #now: () => number;
  // State batch accumulators.
  #dirtyPlayers = new Set<PlayerImpl>();
  #finalSnapshots: PlayerSnapshot[] = [];
  #loggedOut: string[] = [];
  #dirtyEntities = new Set<Entity>();
  #dirtyZones = new Set<ZoneImpl>();
  #upsert: DirectoryRecord[] = [];
  #remove: string[] = [];
  #handoffs: HandoffRecord[] = [];
  #forwards = new Map<string, [number, number, unknown[]]>();
  readonly #entityVersions = new Map<string, number>();
  #tick = 0;
  #tickAt = 0;
  #dt = 0;

  constructor(options: ShardRuntimeOptions) {
    this.index = options.index;
    this.count = options.count;
    this.game = options.game;
    this.#gateways = options.gateways;
    this.#zoneMap = options.zoneMap;
    this.#log = options.log;
    this.#now = options.now;
    this.commands = new CommandTableImpl(options.game.commands);
    this.timers = new TimerQueue(options.now);
    this.#allZones = options.game.zones.map((z) => z.id);
    for (let g = 0; g < options.gateways; g++) this.#outboxes.push(new Outbox());
    for (const record of options.directory ?? []) this.directory.upsert(record);
    this.#ctx = new ContextImpl(this, options.gameOptions, options.jobs, options.log);
    this.#onShutdownRequest = options.onShutdownRequest;
    for (const snapshot of options.restore?.players ?? [])
      this.#restorePlayers.set(snapshot.username, snapshot);
    this.#tickAt = options.now();
    this.#loadZones(options.restore?.world ?? []);
  }

  get tick(): number {
    return this.#tick;
  }
  get tickAt(): number {
    return this.#tickAt;
  }
  get dt(): number {
    return this.#dt;
  }
  get allZones(): readonly string[] {
    return this.#allZones;
  }
  get playerCount(): number {
    return this.#byKey.size;
  }
  get log(): GameLogger {
    return this.#log;
  }

  shardOf(zone: string): number | undefined {
    return this.#zoneMap[zone];
  }

  findPlayer(username: string): PlayerImpl | undefined {
    return this.#byName.get(username);
  }

  #loadZones(world: readonly WorldRecord[]): void {
    const byZone = new Map<string, WorldRecord[]>();
    for (const record of world) {
      const slash = record.key.indexOf('/');
      if (slash < 0) continue;
      const zone = record.key.slice(0, slash);
      let list = byZone.get(zone);
      if (list === undefined) {
        list = [];
        byZone.set(zone, list);
      }
      list.push(record);
    }
    for (const definition of this.game.zones) {
      if (this.#zoneMap[definition.id] !== this.index) continue;
      const zone = new ZoneImpl(definition);
      for (const record of byZone.get(definition.id) ?? []) {
        this.#entityVersions.set(record.key, record.version);
        if (record.data === null) continue;
        const id = record.key.slice(definition.id.length + 1);
        if (id === '') {
          zone.state = record.data as JsonObject;
          continue;
        }
        const data = record.data as { kind?: string; room?: string | null; data?: JsonObject };
        zone.entities.set(id, {
          id,
          kind: data.kind ?? 'thing',
          room: data.room ?? undefined,
          data: data.data ?? {},
        });
        zone.persistedKeys.add(record.key);
      }
      this.zones.set(zone.id, zone);
      try {
        this.game.onZoneLoad?.(zone, this.#ctx);
      } catch (err) {
        this.#log.error({ err, zone: zone.id }, 'onZoneLoad failed');
      }
    }
  }

  // ─── Input ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Applies one batch of input records from a gateway, or `forwarded` by the shard a player left.
   *
   * Ordering across a handoff: after adopting a player, input straight from the gateway waits
   * (in `#held`) until the old shard's forwarded input ends with the gateway's ROUTED marker, so
   * commands run in the order the client sent them. If the marker never comes (the old shard
   * died), the held input runs after HOLD_TICKS.
   */
  applyInput(gateway: number, ops: readonly unknown[], forwarded = false): void {
    let i = 0;
    while (i < ops.length) {
      const op = ops[i] as number;
      const arity = INPUT_ARITY[op];
      if (arity === undefined) {
        this.#log.error({ op, gateway }, 'unknown input opcode; rest of batch dropped');
        return;
      }
      const conn = ops[i + 1] as number;
      const key = connKey(gateway, conn);
      const held = this.#held.get(key);
      if (held !== undefined) {
        if (op === InputOp.Routed && forwarded) {
          this.#held.delete(key);
          this.applyInput(gateway, held.ops);
        } else if (!forwarded) {
          for (let j = 0; j <= arity; j++) held.ops.push(ops[i + j]);
        } else {
          this.#applyOne(gateway, ops, i, op, conn, key);
        }
        i += arity + 1;
        continue;
      }
      if (op === InputOp.Routed) {
        // The marker for a player handed off from here: pass it on behind the forwarded input.
        const forward = this.#forwardTo.get(key);
        if (forward !== undefined) this.#forward(forward.shard, gateway, ops, i, arity);
        i += arity + 1;
        continue;
      }
      this.#applyOne(gateway, ops, i, op, conn, key);
      i += arity + 1;
    }
  }

  /** Releases input held for players whose ROUTED marker did not come in time. */
  #releaseHeld(): void {
    for (const [key, held] of this.#held) {
      if (held.until > this.#tick) continue;
      this.#held.delete(key);
      this.applyInput(Math.floor(key / 0x1_0000_0000), held.ops);
    }
  }

  #applyOne(
    gateway: number,
    ops: readonly unknown[],
    i: number,
    op: number,
    conn: number,
    key: number,
  ): void {
    const arity = INPUT_ARITY[op]!;
    {
      const player = this.#byKey.get(key);
      if (player === undefined && op !== InputOp.Join) {
        const forward = this.#forwardTo.get(key);
        if (forward !== undefined) this.#forward(forward.shard, gateway, ops, i, arity);
        else if (op === InputOp.Command || op === InputOp.Action) {
          const id = ops[i + (op === InputOp.Command ? 3 : 4)] as RequestId | null;
          // A player this shard does not know (lost in a crash during a handoff, say): answer, and
          // ask the gateway to join the player here again (route -1), restored from main's cache.
          this.#sendRaw(
            gateway,
            conn,
            errorText(ErrorCode.ShardUnavailable, 'the game lost track of you; retry', id),
            0,
          );
          this.#outboxes[gateway]?.routes.push(conn, -1);
        }
        return;
      }
      switch (op) {
        case InputOp.Join:
          this.#join(gateway, ops, i);
          break;
        case InputOp.Command:
          this.#command(
            player!,
            ops[i + 2] as string,
            ops[i + 3] as RequestId | null,
            ops[i + 4] as number,
            null,
          );
          break;
        case InputOp.Action:
          this.#command(
            player!,
            ops[i + 2] as string,
            ops[i + 4] as RequestId | null,
            ops[i + 5] as number,
            (ops[i + 3] as JsonObject | null) ?? {},
          );
          break;
        case InputOp.Leave:
          this.#leave(player!, 'logout');
          break;
        case InputOp.Resume:
          this.#hook(() => this.game.onPlayerEnter?.(player!, this.#ctx, 'resume'), 'onPlayerEnter');
          break;
      }
    }
  }

  #forward(shard: number, gateway: number, ops: readonly unknown[], at: number, arity: number): void {
    const k = `${shard}:${gateway}`;
    let entry = this.#forwards.get(k);
    if (entry === undefined) {
      entry = [shard, gateway, []];
      this.#forwards.set(k, entry);
    }
    for (let j = 0; j <= arity; j++) entry[2].push(ops[at + j]);
  }

  #join(gateway: number, ops: readonly unknown[], i: number): void {
    const conn = ops[i + 1] as number;
    const username = ops[i + 2] as string;
    const key = connKey(gateway, conn);
    if (this.#byKey.has(key)) return; // a re-sent join after a restart for a player restored already
    const isRestore = ops[i + 8] === true;
    let snapshot = ops[i + 7] as PlayerSnapshot | null;
    if (isRestore) snapshot = this.#restorePlayers.get(username) ?? snapshot;
    this.#restorePlayers.delete(username);
    const start = this.#startLocation(username);
    let zone = snapshot?.data.zone ?? start.zone;
    let room: string | undefined = snapshot ? (snapshot.data.room ?? undefined) : start.room;
    if (this.#zoneMap[zone] === undefined) {
      zone = start.zone;
      room = start.room;
    }
    const state = snapshot?.data.state ?? this.game.newPlayerState?.(username) ?? {};
    const player = new PlayerImpl({
      username,
      session: ops[i + 3] as string,
      roles: ops[i + 4] as string[],
      capabilities: ops[i + 5] as string[],
      zone,
      room,
      state: state as JsonObject,
      gateway,
      conn,
      since: ops[i + 6] as number,
      version: snapshot?.version ?? 0,
    });
    if (this.#zoneMap[zone] !== this.index) {
      // Saved in a zone another shard owns (placement changed): hand off at once.
      this.#handoff(player, this.#zoneMap[zone]!);
      return;
    }
    this.#admit(player, isRestore ? 'restore' : 'login');
  }

  #startLocation(username: string): Location {
    const start = this.game.start;
    return typeof start === 'function' ? start(username) : start;
  }

  #admit(player: PlayerImpl, reason: EnterReason): void {
    this.#byKey.set(player.key, player);
    this.#byName.set(player.username, player);
    this.#forwardTo.delete(player.key);
    this.zones.get(player.zone)!.members.add(player);
    this.#dirtyPlayers.add(player);
    this.#publish(player);
    if (reason === 'handoff') {
      this.#outboxes[player.gateway]!.routes.push(player.conn, this.index);
      this.#held.set(player.key, { until: this.#tick + HOLD_TICKS, ops: [] });
    }
    this.#hook(() => this.game.onPlayerEnter?.(player, this.#ctx, reason), 'onPlayerEnter');
  }

  #publish(player: PlayerImpl): void {
    const record: DirectoryRecord = {
      username: player.username,
      zone: player.zone,
      room: player.room ?? null,
      shard: this.index,
      roles: player.roles,
      since: player.since,
      gateway: player.gateway,
      conn: player.conn,
    };
    this.directory.upsert(record);
    this.#upsert.push(record);
  }

  #leave(player: PlayerImpl, reason: LeaveReason): void {
    this.#hook(() => this.game.onPlayerLeave?.(player, this.#ctx, reason), 'onPlayerLeave');
    this.#remove_(player);
    this.#dirtyPlayers.delete(player);
    this.#finalSnapshots.push(snapshotOf(player, true));
    this.#loggedOut.push(player.username);
    this.directory.remove(player.username, this.index);
    this.#remove.push(player.username);
  }

  #remove_(player: PlayerImpl): void {
    this.#byKey.delete(player.key);
    this.#byName.delete(player.username);
    this.zones.get(player.zone)?.members.delete(player);
  }

  /** Adopts players handed off by other shards (relayed by main). */
  adopt(records: readonly HandoffRecord[]): void {
    for (const r of records) {
      if (this.#byName.has(r.username)) continue;
      const zone = this.zones.has(r.zone) ? r.zone : undefined;
      if (zone === undefined) {
        this.#log.error(
          { zone: r.zone, username: r.username },
          'handoff into a zone this shard does not own',
        );
        continue;
      }
      const player = new PlayerImpl({
        username: r.username,
        session: r.session,
        roles: r.roles,
        capabilities: r.capabilities,
        zone,
        room: r.room ?? undefined,
        state: r.state,
        gateway: r.gateway,
        conn: r.conn,
        since: r.since,
        version: r.version,
      });
      this.#admit(player, 'handoff');
    }
  }

  applyDirectory(upsert: readonly DirectoryRecord[], remove: readonly string[]): void {
    for (const name of remove) {
      // Never let another shard's stale remove erase a player who now lives here.
      if (!this.#byName.has(name)) this.directory.remove(name);
    }
    for (const record of upsert) {
      if (record.shard !== this.index || !this.#byName.has(record.username)) this.directory.upsert(record);
    }
  }

  // ─── Commands ──────────────────────────────────────────────────────────────────────────────

  #command(
    player: PlayerImpl,
    line: string,
    id: RequestId | null,
    receivedAt: number,
    actionArgs: JsonObject | null,
  ): void {
    this.counters.commands++;
    const ctx = this.#ctx;
    ctx.begin(player, this.zones.get(player.zone)!, line, id, receivedAt);
    let command: CommandDefinition<unknown> | undefined;
    let word: string;
    let rest: string;
    if (actionArgs === null) {
      const trimmed = line.trim();
      const space = trimmed.search(/\s/);
      word = space < 0 ? trimmed : trimmed.slice(0, space);
      rest = space < 0 ? '' : trimmed.slice(space + 1).trim();
    } else {
      word = line;
      rest = typeof actionArgs.text === 'string' ? actionArgs.text : '';
    }
    command = word.length > 0 ? this.commands.get(word) : undefined;
    try {
      if (command === undefined || (command.role !== undefined && !player.roles.includes(command.role))) {
        if (command === undefined && this.game.onUnknownCommand !== undefined && word.length > 0) {
          this.game.onUnknownCommand(ctx, word);
        } else {
          ctx.fail(
            word.length === 0
              ? 'Say something: type a command.'
              : `Unknown command "${word.slice(0, 40)}". Type help.`,
            ErrorCode.UnknownCommand,
          );
        }
      } else {
        const args =
          actionArgs !== null && command.parseAction !== undefined
            ? command.parseAction(actionArgs, ctx)
            : command.parse !== undefined
              ? command.parse(rest, ctx)
              : rest;
        command.run(ctx, args);
      }
    } catch (err) {
      this.counters.commandErrors++;
      if (err instanceof CommandError) ctx.fail(err.message, ErrorCode.CommandFailed);
      else {
        this.#log.error({ err, command: command?.name, username: player.username }, 'command failed');
        ctx.fail('Something went wrong; nothing was changed.', ErrorCode.Internal);
      }
    }
    ctx.end();
  }

  // ─── Output ────────────────────────────────────────────────────────────────────────────────

  /** Queues encoded text for one connection. */
  sendRawTo(gateway: number, conn: number, text: string, flags: number): void {
    this.#sendRaw(gateway, conn, text, flags);
  }

  #sendRaw(gateway: number, conn: number, text: string, flags: number): void {
    const box = this.#outboxes[gateway];
    if (box === undefined) return;
    box.send(conn, box.addString(text), flags);
  }

  recordTiming(gateway: number, receivedAt: number): void {
    this.#outboxes[gateway]?.timings.push(receivedAt);
  }

  sendTo(target: string | Player, message: ServerMessage, options?: SendOptions): boolean {
    const flags = (options?.priority === 'low' ? SendFlag.Low : 0) | eventFlag(message.type);
    if (typeof target !== 'string') {
      const p = target as PlayerImpl;
      if (this.#byKey.get(p.key) !== p) return this.sendTo(p.username, message, options);
      this.#sendRaw(p.gateway, p.conn, JSON.stringify(message), flags);
      return true;
    }
    const local = this.#byName.get(target);
    if (local !== undefined) {
      this.#sendRaw(local.gateway, local.conn, JSON.stringify(message), flags);
      return true;
    }
    const record = this.directory.record(target);
    if (record === undefined) return false;
    this.#sendRaw(record.gateway, record.conn, JSON.stringify(message), flags);
    return true;
  }

  /** Sends one message to many recipients, encoding it once and adding it once per gateway. */
  #fanOut(
    recipients: Iterable<{ gateway: number; conn: number; username: string }>,
    message: ServerMessage,
    options: BroadcastOptions | undefined,
    filter?: (r: { zone: string; room: string | null | undefined }) => boolean,
  ): void {
    const flags = (options?.priority === 'low' ? SendFlag.Low : 0) | eventFlag(message.type);
    const except = options?.except;
    let text: string | undefined;
    const indexes: number[] = [];
    for (const r of recipients) {
      if (r.username === except) continue;
      if (filter !== undefined && !filter(r as unknown as { zone: string; room: string | null })) continue;
      text ??= JSON.stringify(message);
      const box = this.#outboxes[r.gateway];
      if (box === undefined) continue;
      let idx = indexes[r.gateway];
      if (idx === undefined) indexes[r.gateway] = idx = box.addString(text);
      box.send(r.conn, idx, flags);
    }
  }

  toRoom(zone: string, room: string, message: ServerMessage, options?: BroadcastOptions): void {
    const local = this.zones.get(zone);
    if (local !== undefined) {
      this.#fanOut(roomMembers(local, room), message, options);
      return;
    }
    this.#fanOut(this.directory.records(), message, options, (r) => r.zone === zone && r.room === room);
  }

  toZone(zone: string, message: ServerMessage, options?: BroadcastOptions): void {
    const local = this.zones.get(zone);
    if (local !== undefined) this.#fanOut(local.members, message, options);
    else this.#fanOut(this.directory.records(), message, options, (r) => r.zone === zone);
  }

  toAll(message: ServerMessage, options?: BroadcastOptions): void {
    const flags = (options?.priority === 'low' ? SendFlag.Low : 0) | eventFlag(message.type);
    const text = JSON.stringify(message);
    const except = options?.except === undefined ? undefined : this.directory.record(options.except);
    for (let g = 0; g < this.#gateways; g++) {
      const box = this.#outboxes[g]!;
      box.all.push(
        box.addString(text),
        flags,
        except !== undefined && except.gateway === g ? except.conn : -1,
      );
    }
  }

  kick(username: string, reason: string, code: number = CloseCode.Kicked): void {
    const record = this.#byName.get(username) ?? this.directory.record(username);
    if (record === undefined) return;
    this.#outboxes[record.gateway]?.kicks.push(record.conn, code, reason);
  }

  requestShutdown(reason: string): void {
    if (this.#onShutdownRequest === undefined) {
      this.#log.warn({ reason }, 'requestShutdown: this shard has no server to ask; ignored');
      return;
    }
    this.#onShutdownRequest(reason);
  }

  // ─── Movement and handoff ──────────────────────────────────────────────────────────────────

  movePlayer(player: Player, to: Location): void {
    const p = player as PlayerImpl;
    if (this.#byKey.get(p.key) !== p) return; // left or handed off already this tick
    const target = this.#zoneMap[to.zone];
    if (target === undefined) throw new UnknownZoneError(to.zone);
    const from: Location = { zone: p.zone, room: p.room };
    if (target !== this.index) {
      p.zone = to.zone;
      p.room = to.room;
      this.#hook(() => this.game.onPlayerLeave?.(p, this.#ctx, 'handoff'), 'onPlayerLeave');
      this.zones.get(from.zone)?.members.delete(p);
      this.#handoff(p, target);
      return;
    }
    if (to.zone !== p.zone) {
      this.zones.get(p.zone)?.members.delete(p);
      this.zones.get(to.zone)!.members.add(p);
    }
    p.zone = to.zone;
    p.room = to.room;
    this.#dirtyPlayers.add(p);
    this.#publish(p);
    this.#hook(() => this.game.onPlayerMove?.(p, from, this.#ctx), 'onPlayerMove');
  }

  #handoff(p: PlayerImpl, target: number): void {
    this.#byKey.delete(p.key);
    this.#byName.delete(p.username);
    this.#dirtyPlayers.delete(p);
    this.#forwardTo.set(p.key, { shard: target, until: this.#tick + FORWARD_TICKS });
    this.#handoffs.push({
      to: target,
      gateway: p.gateway,
      conn: p.conn,
      username: p.username,
      session: p.session,
      roles: p.roles,
      capabilities: p.capabilities,
      since: p.since,
      version: p.version + 1,
      zone: p.zone,
      room: p.room ?? null,
      state: p.state,
    });
  }

  // ─── Persistence marks ─────────────────────────────────────────────────────────────────────

  markDirty(target: Player | Entity | Zone): void {
    if (target instanceof PlayerImpl) this.#dirtyPlayers.add(target);
    else if (target instanceof ZoneImpl) this.#dirtyZones.add(target);
    else this.#dirtyEntities.add(target as Entity);
  }

  // ─── The tick ──────────────────────────────────────────────────────────────────────────────

  /** Starts a tick: sets the clock seen by game code. Input is applied after this. */
  beginTick(tick: number, now: number, dt: number): void {
    this.#tick = tick;
    this.#tickAt = now;
    this.#dt = dt;
  }

  /** Runs the systems and due timers (after input was applied). */
  runSystems(): void {
    const systems = this.game.systems;
    if (systems !== undefined) {
      for (const system of systems) {
        const every = system.everyTicks ?? 1;
        if (this.#tick % every !== 0) continue;
        try {
          system.run(this.#ctx);
        } catch (err) {
          this.counters.systemErrors++;
          this.#log.error({ err, system: system.name }, 'system failed');
        }
      }
    }
    this.timers.runDue(this.#tickAt, (err) => {
      this.counters.systemErrors++;
      this.#log.error({ err }, 'timer failed');
    });
    if (this.#held.size > 0) this.#releaseHeld();
    if (this.#forwardTo.size > 0 && this.#tick % 100 === 0) {
      for (const [key, f] of this.#forwardTo) if (f.until < this.#tick) this.#forwardTo.delete(key);
    }
  }

  /** Output for gateway `g`, or null when there is nothing to send. */
  takeOutput(g: number, nextTickAt: number, tickMs: number): OutputBatch | null {
    const box = this.#outboxes[g]!;
    return box.empty ? null : box.take(this.index, nextTickAt, tickMs);
  }

  /** Asks for the tick phase to be sent to every gateway with the next output. */
  syncPhase(g?: number): void {
    if (g !== undefined) this.#outboxes[g]!.syncPhase = true;
    else for (const box of this.#outboxes) box.syncPhase = true;
  }

  /** The state batch of this tick, or null when nothing changed. */
  takeState(): StateBatch | null {
    const players = this.#finalSnapshots;
    for (const p of this.#dirtyPlayers) {
      p.version++;
      players.push(snapshotOf(p, false));
    }
    const world = this.#worldRecords();
    if (
      players.length === 0 &&
      world.length === 0 &&
      this.#upsert.length === 0 &&
      this.#remove.length === 0 &&
      this.#handoffs.length === 0 &&
      this.#forwards.size === 0
    ) {
      this.#dirtyPlayers.clear();
      return null;
    }
    const batch: StateBatch = {
      shard: this.index,
      tick: this.#tick,
      players,
      loggedOut: this.#loggedOut,
      world,
      upsert: this.#upsert,
      remove: this.#remove,
      handoffs: this.#handoffs,
      forwards: [...this.#forwards.values()],
    };
    this.#dirtyPlayers = new Set();
    this.#finalSnapshots = [];
    this.#loggedOut = [];
    this.#upsert = [];
    this.#remove = [];
    this.#handoffs = [];
    this.#forwards = new Map();
    return batch;
  }

  #worldRecords(): WorldRecord[] {
    const out: WorldRecord[] = [];
    if (this.#dirtyEntities.size > 0) {
      for (const entity of this.#dirtyEntities) {
        for (const zone of this.zones.values()) {
          if (zone.entities.get(entity.id) === entity) {
            out.push(this.#entityRecord(zone, entity));
            break;
          }
        }
      }
      this.#dirtyEntities = new Set();
    }
    if (this.#dirtyZones.size > 0) {
      for (const zone of this.#dirtyZones) {
        out.push({ key: `${zone.id}/`, version: this.#bump(`${zone.id}/`), data: zone.state });
        const live = new Set<string>();
        for (const entity of zone.entities.values()) {
          live.add(`${zone.id}/${entity.id}`);
          out.push(this.#entityRecord(zone, entity));
        }
        for (const key of zone.persistedKeys) {
          if (!live.has(key)) {
            out.push({ key, version: this.#bump(key), data: null });
            zone.persistedKeys.delete(key);
          }
        }
      }
      this.#dirtyZones = new Set();
    }
    return out;
  }

  #entityRecord(zone: ZoneImpl, entity: Entity): WorldRecord {
    const key = `${zone.id}/${entity.id}`;
    zone.persistedKeys.add(key);
    return {
      key,
      version: this.#bump(key),
      data: { kind: entity.kind, room: entity.room ?? null, data: entity.data as JsonObject },
    };
  }

  #bump(key: string): number {
    const v = (this.#entityVersions.get(key) ?? 0) + 1;
    this.#entityVersions.set(key, v);
    return v;
  }

  /** Graceful shutdown: every player leaves (`'shutdown'`) so their final state is in the batch. */
  drain(): void {
    for (const [key, held] of [...this.#held]) {
      this.#held.delete(key);
      this.applyInput(Math.floor(key / 0x1_0000_0000), held.ops);
    }
    for (const player of [...this.#byKey.values()]) this.#leave(player, 'shutdown');
    for (const zone of this.zones.values()) this.#dirtyZones.add(zone);
  }

  #hook(fn: () => void, name: string): void {
    try {
      fn();
    } catch (err) {
      this.counters.systemErrors++;
      this.#log.error({ err, hook: name }, 'game hook failed');
    }
  }

  get gatewayCount(): number {
    return this.#gateways;
  }
}

function* roomMembers(zone: ZoneImpl, room: string): IterableIterator<PlayerImpl> {
  for (const p of zone.members) if (p.room === room) yield p;
}

function snapshotOf(p: PlayerImpl, final: boolean): PlayerSnapshot {
  if (final) p.version++;
  return {
    username: p.username,
    version: p.version,
    data: { zone: p.zone, room: p.room ?? null, state: p.state },
  };
}

function errorText(code: ErrorCode, message: string, re: RequestId | null | undefined): string {
  return JSON.stringify(re == null ? { type: 'error', code, message } : { type: 'error', code, message, re });
}

/**
 * The context object given to commands, systems and hooks. One per shard, reset per command.
 */
class ContextImpl implements CommandContext {
  readonly #rt: ShardRuntime;
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
    rt: ShardRuntime,
    options: JsonValue | undefined,
    jobs: JobRunner | undefined,
    log: GameLogger,
  ) {
    this.#rt = rt;
    this.options = options;
    this.jobs = jobs;
    this.log = log;
    this.shard = { index: rt.index, count: rt.count };
  }

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
    if (id !== undefined) {
      const reply: ServerMessage = { type: 'reply', re: id, ok: this.#ok };
      if (this.#replyText !== undefined) reply.text = this.#replyText;
      if (this.#replyData !== undefined) reply.data = this.#replyData;
      this.#rt.sendRawTo(p.gateway, p.conn, JSON.stringify(reply), SendFlag.Reply);
    }
    this.#rt.recordTiming(p.gateway, this.#receivedAt);
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
    return this.#rt.tick;
  }
  get now(): number {
    return this.#rt.tickAt;
  }
  get dt(): number {
    return this.#rt.dt;
  }
  get zones(): ReadonlyMap<string, Zone> {
    return this.#rt.zones;
  }
  get allZones(): readonly string[] {
    return this.#rt.allZones;
  }
  get directory() {
    return this.#rt.directory;
  }
  get timers() {
    return this.#rt.timers;
  }
  get commands() {
    return this.#rt.commands;
  }

  zone(id: string): Zone | undefined {
    return this.#rt.zones.get(id);
  }
  findPlayer(username: string): Player | undefined {
    return this.#rt.findPlayer(username);
  }

  reply(text: string, data?: JsonValue): void {
    const p = this.#player;
    if (p === undefined) throw new Error('ctx.reply is only available inside a command');
    if (this.#id === undefined) {
      this.#rt.sendRawTo(p.gateway, p.conn, JSON.stringify({ type: 'text', text }), 0);
      if (data !== undefined)
        this.#rt.sendRawTo(
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
      this.#rt.sendRawTo(p.gateway, p.conn, errorText(code, message, undefined), 0);
      return;
    }
    this.#ok = false;
    this.#replyText = this.#replyText === undefined ? message : `${this.#replyText}\n${message}`;
  }

  send(message: ServerMessage, options?: SendOptions): void {
    const p = this.#player;
    if (p === undefined) throw new Error('ctx.send is only available inside a command');
    this.#rt.sendRawTo(
      p.gateway,
      p.conn,
      JSON.stringify(message),
      (options?.priority === 'low' ? SendFlag.Low : 0) | eventFlag(message.type),
    );
  }

  sendTo(target: string | Player, message: ServerMessage, options?: SendOptions): boolean {
    return this.#rt.sendTo(target, message, options);
  }
  toRoom(zone: string, room: string, message: ServerMessage, options?: BroadcastOptions): void {
    this.#rt.toRoom(zone, room, message, options);
  }
  toZone(zone: string, message: ServerMessage, options?: BroadcastOptions): void {
    this.#rt.toZone(zone, message, options);
  }
  toAll(message: ServerMessage, options?: BroadcastOptions): void {
    this.#rt.toAll(message, options);
  }
  movePlayer(player: Player, to: Location): void {
    this.#rt.movePlayer(player, to);
    if (player === this.#player && (player as PlayerImpl).zone !== this.#here?.id) {
      this.#here = this.#rt.zones.get((player as PlayerImpl).zone) ?? this.#here;
    }
  }
  markDirty(target: Player | Entity | Zone): void {
    this.#rt.markDirty(target);
  }
  kick(player: string | Player, reason: string, code?: number): void {
    this.#rt.kick(typeof player === 'string' ? player : player.username, reason, code);
  }
  requestShutdown(reason: string): void {
    this.#rt.requestShutdown(reason);
  }
}
