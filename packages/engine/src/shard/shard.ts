import type { JsonValue } from '@leviathan/protocol';
import { ErrorCode } from '@leviathan/protocol';
import type { GameLogger, JobRunner } from '../game/context.js';
import type { GameDefinition } from '../game/game-definition.js';
import type { Location, Player } from '../game/player.js';
import type { Entity, Zone } from '../game/zone.js';
import { decodeInputs, InputOp, type InputRecord, requestIdOf } from '../ipc/input-batch.js';
import { InputRingReader } from '../ipc/input-ring.js';
import type { OutputBatch } from '../ipc/output-batch.js';
import type { ShardMessageRecord } from '../ipc/shard-message.js';
import type {
  DirectoryRecord,
  HandoffRecord,
  PlayerSnapshot,
  StateBatch,
  WorldRecord,
} from '../ipc/state-batch.js';
import type { ZoneChange } from '../ipc/zone-change.js';
import { type CommandCounters, CommandRunner } from './command-runner.js';
import { CommandTableImpl } from './command-table.js';
import { DirectoryReplica } from './directory-replica.js';
import { FanOut } from './fan-out.js';
import { Handoffs } from './handoff.js';
import { PlayerLifecycle } from './player-lifecycle.js';
import { PlayerRegistry } from './player-registry.js';
import { type ContextHost, ShardContext } from './shard-context.js';
import { ShardMessages } from './shard-messages.js';
import { ShardZones } from './shard-zones.js';
import { StateTracker } from './state-tracker.js';
import { TimerQueue } from './timer-queue.js';
import { PlayerImpl, ZoneImpl } from './world-objects.js';

export interface ShardOptions {
  readonly index: number;
  readonly count: number;
  readonly gateways: number;
  readonly game: GameDefinition;
  readonly gameOptions: JsonValue | undefined;
  /**
   * Which shard of this node runs each zone at start (`ipc/zone-map.ts` on a single node; the
   * zones a cluster node holds). Main changes it with `receiveZones`.
   */
  readonly zoneMap: Readonly<Record<string, number>>;
  readonly log: GameLogger;
  readonly jobs?: JobRunner | undefined;
  /** State to start from: the store's world at first start, main's state cache after a crash. */
  readonly restore?: { players: readonly PlayerSnapshot[]; world: readonly WorldRecord[] } | null;
  readonly directory?: readonly DirectoryRecord[];
  /** Epoch ms; the tick's clock is passed to `tick()`, this one serves timers set outside a tick. */
  readonly now: () => number;
  /** Called when the game asks the server to shut down (ctx.requestShutdown). */
  readonly onShutdownRequest?: (reason: string) => void;
}

/** What one tick produced: an output batch per gateway (null: nothing for it), the state batch. */
export interface TickResult {
  readonly outputs: ReadonlyArray<OutputBatch | null>;
  readonly state: StateBatch | null;
}

type Arrival =
  | {
      readonly kind: 'input';
      readonly gateway: number;
      readonly ops: readonly unknown[];
      readonly forwarded: boolean;
    }
  | { readonly kind: 'adopt'; readonly players: readonly HandoffRecord[] }
  | {
      readonly kind: 'directory';
      readonly upsert: readonly DirectoryRecord[];
      readonly remove: readonly string[];
    }
  | { readonly kind: 'zones'; readonly change: ZoneChange }
  | { readonly kind: 'messages'; readonly messages: readonly ShardMessageRecord[] };

/**
 * The game as one shard runs it: its zones and players, the context game code sees, and the tick.
 * What main relays between ticks (adopted players, directory changes, forwarded input) waits in
 * arrival order, and the gateways' input waits in their rings; `tick()` applies both, runs the
 * systems and timers, and returns one output batch per gateway and the state batch for main. The
 * worker (shard-worker.ts) only moves batches between ports and this class.
 *
 * The pieces: PlayerRegistry (who is here), FanOut (what is sent), StateTracker (what changed),
 * Handoffs (players moving between shards, and their input's order), CommandRunner (one command),
 * ShardContext (the Game API's context).
 */
export class Shard implements ContextHost {
  readonly index: number;
  readonly count: number;
  readonly game: GameDefinition;
  readonly zones: Map<string, ZoneImpl>;
  readonly directory = new DirectoryReplica();
  readonly commands: CommandTableImpl;
  readonly timers: TimerQueue;
  readonly fanOut: FanOut;
  readonly allZones: readonly string[];
  readonly #players: PlayerRegistry;
  readonly #state: StateTracker;
  readonly #handoffs = new Handoffs();
  readonly #messages: ShardMessages;
  readonly #runner: CommandRunner;
  readonly #ctx: ShardContext;
  readonly #zoneSet: ShardZones;
  readonly #log: GameLogger;
  readonly #lifecycle: PlayerLifecycle;
  readonly #onShutdownRequest: ((reason: string) => void) | undefined;
  #arrivals: Arrival[] = [];
  /** Each gateway's input ring. */
  readonly #rings: Array<InputRingReader | undefined> = [];
  #tick = 0;
  #tickAt = 0;
  #dt = 0;

  constructor(options: ShardOptions) {
    this.index = options.index;
    this.count = options.count;
    this.game = options.game;
    this.#zoneSet = new ShardZones(options.game, options.zoneMap);
    this.zones = this.#zoneSet.loaded;
    this.#log = options.log;
    this.#onShutdownRequest = options.onShutdownRequest;
    this.allZones = options.game.zones.map((z) => z.id);
    this.commands = new CommandTableImpl(options.game.commands);
    this.timers = new TimerQueue(options.now);
    this.#players = new PlayerRegistry(this.zones);
    this.#state = new StateTracker(this.index, this.zones, this.directory);
    this.fanOut = new FanOut(options.gateways, this.#players, this.directory, options.game.presence);
    this.#ctx = new ShardContext(this, options.gameOptions, options.jobs, options.log);
    this.#runner = new CommandRunner(this.commands, options.game, this.#ctx, options.log);
    this.#messages = new ShardMessages(this.index, options.game, options.log, () => {
      this.counters.systemErrors++;
    });
    for (const record of options.directory ?? []) this.directory.upsert(record);
    const shard = this;
    this.#lifecycle = new PlayerLifecycle(
      {
        index: this.index,
        game: this.game,
        zones: this.#zoneSet,
        players: this.#players,
        state: this.#state,
        handoffs: this.#handoffs,
        fanOut: this.fanOut,
        ctx: this.#ctx,
        get currentTick() {
          return shard.#tick;
        },
        hook: (fn, name) => this.#hook(fn, name),
      },
      options.restore?.players ?? [],
    );
    this.#tickAt = options.now();
    this.#zoneSet.loadInitial(
      {
        index: this.index,
        game: this.game,
        state: this.#state,
        fanOut: this.fanOut,
        ctx: this.#ctx,
        log: this.#log,
        leave: (player, reason) => this.#lifecycle.leave(player, reason),
        hook: (fn, name) => this.#hook(fn, name),
      },
      options.restore?.world ?? [],
    );
    for (const zone of this.zones.values())
      this.#hook(() => this.game.onZoneLoad?.(zone, this.#ctx), 'onZoneLoad');
  }

  get currentTick(): number {
    return this.#tick;
  }
  get tickAt(): number {
    return this.#tickAt;
  }
  get dt(): number {
    return this.#dt;
  }
  get playerCount(): number {
    return this.#players.size;
  }
  get counters(): CommandCounters {
    return this.#runner.counters;
  }

  // ─── Between ticks ─────────────────────────────────────────────────────────────────────────

  /** A gateway's input batch (flat form), or input `forwarded` by the shard a player left. */
  receiveInput(gateway: number, ops: readonly unknown[], forwarded = false): void {
    this.#arrivals.push({ kind: 'input', gateway, ops, forwarded });
  }

  /** Players handed off to this shard (relayed by main). */
  receiveAdopt(players: readonly HandoffRecord[]): void {
    this.#arrivals.push({ kind: 'adopt', players });
  }

  /** Other shards' directory changes (relayed by main). */
  receiveDirectory(upsert: readonly DirectoryRecord[], remove: readonly string[]): void {
    this.#arrivals.push({ kind: 'directory', upsert, remove });
  }

  /** Zones that come to this shard, leave it, or move between this node's shards (relayed by main). */
  receiveZones(change: ZoneChange): void {
    this.#arrivals.push({ kind: 'zones', change });
  }

  /** What other shards told this one (`ctx.tellShards`, relayed by main). */
  receiveShardMessages(messages: readonly ShardMessageRecord[]): void {
    this.#arrivals.push({ kind: 'messages', messages });
  }

  /**
   * The ring gateway `gateway` writes its input into (ipc/input-ring.ts), read at each tick; a
   * new one replaces the old (a restarted gateway).
   */
  attachInputRing(gateway: number, ring: SharedArrayBuffer): void {
    this.fanOut.addGateway(gateway);
    this.#rings[gateway] = new InputRingReader(ring);
  }

  // ─── The tick ──────────────────────────────────────────────────────────────────────────────

  /**
   * Runs one tick: what main relayed since the last one (adoptions, directory changes, forwarded
   * input, other shards' messages, in arrival order), then each gateway's input from its ring,
   * then the systems, the due timers and held input whose marker did not come.
   *
   * Main's relays go first: a gateway writes a player's input here only once this shard's output
   * told it the player is here, which is after the adoption, so nothing in a ring depends on a
   * relay that has not been applied.
   */
  tick(tick: number, now: number, dt: number): TickResult {
    this.#begin(tick, now, dt);
    this.#applyArrivals(true);
    this.#readRings();
    this.#runSystems();
    return this.#take();
  }

  /**
   * Graceful shutdown: the input that already arrived runs (commands typed before the shutdown
   * still count), then every player leaves (`'shutdown'`) and every zone is saved, so the final
   * state is in the batch.
   */
  drain(tick: number, now: number, dt: number): TickResult {
    this.#begin(tick, now, dt);
    this.#applyArrivals(false);
    this.#readRings();
    for (const held of this.#handoffs.expired()) this.#applyInput(held.gateway, held.records, false);
    for (const player of [...this.#players.values()]) this.#lifecycle.leave(player, 'shutdown');
    for (const zone of this.zones.values()) this.#state.markZone(zone);
    return this.#take();
  }

  /** What main relayed, in arrival order; only the input when `all` is false (a drain). */
  #applyArrivals(all: boolean): void {
    const arrivals = this.#arrivals;
    this.#arrivals = [];
    for (const a of arrivals) {
      if (a.kind === 'input') this.#applyInput(a.gateway, this.#decode(a.gateway, a.ops), a.forwarded);
      else if (!all) continue;
      else if (a.kind === 'adopt') this.#lifecycle.adopt(a.players);
      else if (a.kind === 'zones') this.#zoneSet.apply(a.change);
      else if (a.kind === 'messages') this.#messages.deliver(a.messages, this.#ctx);
      else this.#applyDirectory(a.upsert, a.remove);
    }
  }

  #readRings(): void {
    const rings = this.#rings;
    for (let g = 0; g < rings.length; g++) {
      const ring = rings[g];
      if (ring !== undefined) this.#applyInput(g, ring.take(), false);
    }
  }

  #begin(tick: number, now: number, dt: number): void {
    this.#tick = tick;
    this.#tickAt = now;
    this.#dt = dt;
  }

  #take(): TickResult {
    this.#lifecycle.settleRebinds();
    const outputs: Array<OutputBatch | null> = [];
    for (let g = 0; g < this.fanOut.gateways; g++) outputs.push(this.fanOut.take(g, this.index));
    const { handoffs, forwards } = this.#handoffs.take();
    const state = this.#state.take(this.#tick, handoffs, forwards, this.#messages.take());
    this.#zoneSet.settle();
    return { outputs, state };
  }

  #runSystems(): void {
    const systems = this.game.systems;
    if (systems !== undefined) {
      for (const system of systems) {
        if (this.#tick % (system.everyTicks ?? 1) !== 0) continue;
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
    if (this.#handoffs.holding) {
      for (const held of this.#handoffs.expired(this.#tick))
        this.#applyInput(held.gateway, held.records, false);
    }
    this.#handoffs.sweep(this.#tick);
  }

  // ─── Input ─────────────────────────────────────────────────────────────────────────────────

  #decode(gateway: number, ops: readonly unknown[]): InputRecord[] {
    return decodeInputs(ops, (at) =>
      this.#log.error(
        { gateway, at, length: ops.length },
        'malformed input batch; the rest of it is dropped',
      ),
    );
  }

  /** Applies input records in order, holding or forwarding those of players in a handoff. */
  #applyInput(gateway: number, records: readonly InputRecord[], forwarded: boolean): void {
    const handoffs = this.#handoffs;
    for (const r of records) {
      if (handoffs.holding && handoffs.isHeld(gateway, r.conn)) {
        if (r.op === InputOp.Routed && forwarded)
          this.#applyInput(gateway, handoffs.release(gateway, r.conn), false);
        else if (!forwarded) handoffs.holdRecord(gateway, r);
        else this.#applyOne(gateway, r);
        continue;
      }
      if (r.op === InputOp.Routed) {
        // The marker for a player handed off from here: pass it on behind the forwarded input.
        const target = handoffs.forwardTarget(gateway, r.conn);
        if (target !== undefined) handoffs.forward(target, gateway, r);
        continue;
      }
      this.#applyOne(gateway, r);
    }
  }

  #applyOne(gateway: number, r: InputRecord): void {
    const player = this.#players.byConn(gateway, r.conn);
    if (player === undefined) {
      if (r.op === InputOp.Join) this.#lifecycle.join(gateway, r);
      else {
        const target = this.#handoffs.forwardTarget(gateway, r.conn);
        if (target !== undefined) this.#handoffs.forward(target, gateway, r);
        else if (r.op === InputOp.Command || r.op === InputOp.Action) this.#lostTrack(gateway, r);
      }
      return;
    }
    switch (r.op) {
      case InputOp.Command:
        this.#runner.run(player, this.zones.get(player.zone)!, r.line, r.id, r.receivedAt, null);
        break;
      case InputOp.Action:
        this.#runner.run(player, this.zones.get(player.zone)!, r.name, r.id, r.receivedAt, r.args ?? {});
        break;
      case InputOp.Leave:
        this.#lifecycle.leave(player, 'logout');
        break;
      case InputOp.Resume:
        this.#hook(() => this.game.onPlayerEnter?.(player, this.#ctx, 'resume'), 'onPlayerEnter');
        break;
      case InputOp.Rebind:
        this.#lifecycle.rebind(player, r);
        break;
      default:
        // A join for a player restored here already (re-sent after a restart): nothing to do.
        break;
    }
  }

  /**
   * A player this shard does not know (lost in a crash during a handoff, say): answer, and ask the
   * gateway to join the player here again (route -1), restored from main's cache.
   */
  #lostTrack(gateway: number, r: InputRecord): void {
    const id = requestIdOf(r);
    const message = 'the game lost track of you; retry';
    const error =
      id == null
        ? { type: 'error', code: ErrorCode.ShardUnavailable, message }
        : { type: 'error', code: ErrorCode.ShardUnavailable, message, re: id };
    this.fanOut.sendRaw(gateway, r.conn, JSON.stringify(error), 0);
    this.fanOut.route(gateway, r.conn, -1);
  }

  #applyDirectory(upsert: readonly DirectoryRecord[], remove: readonly string[]): void {
    for (const name of remove) {
      // Never let another shard's stale remove erase a player who now lives here.
      if (this.#players.byName(name) === undefined) this.directory.remove(name);
    }
    for (const record of upsert) {
      if (record.shard !== this.index || this.#players.byName(record.username) === undefined)
        this.directory.upsert(record);
    }
  }

  // ─── What the context reaches ──────────────────────────────────────────────────────────────

  findPlayer(username: string): Player | undefined {
    return this.#players.byName(username);
  }

  movePlayer(player: Player, to: Location): void {
    this.#lifecycle.move(player as PlayerImpl, to);
  }

  markDirty(target: Player | Entity | Zone): void {
    if (target instanceof PlayerImpl) this.#state.markPlayer(target);
    else if (target instanceof ZoneImpl) this.#state.markZone(target);
    else this.#state.markEntity(target as Entity);
  }

  tellShards(topic: string, data: JsonValue): void {
    this.#messages.send(topic, data);
  }

  requestShutdown(reason: string): void {
    if (this.#onShutdownRequest === undefined) {
      this.#log.warn({ reason }, 'requestShutdown: this shard has no server to ask; ignored');
      return;
    }
    this.#onShutdownRequest(reason);
  }

  #hook(fn: () => void, name: string): void {
    try {
      fn();
    } catch (err) {
      this.counters.systemErrors++;
      this.#log.error({ err, hook: name }, 'game hook failed');
    }
  }
}
