import { CloseCode } from '@leviathan/protocol';
import { UnknownZoneError, ZoneNotHereError } from '../errors.js';
import type { EnterReason, GameDefinition, LeaveReason } from '../game/game-definition.js';
import type { Location } from '../game/player.js';
import type { JoinInput, RebindInput } from '../ipc/input-batch.js';
import { Interner } from '../ipc/intern.js';
import type { HandoffRecord, PlayerSnapshot } from '../ipc/state-batch.js';
import { ZONE_MOVED_CODE, ZONE_MOVED_REASON } from '../ipc/zone-moved.js';
import type { FanOut } from './fan-out.js';
import type { Handoffs } from './handoff.js';
import type { PlayerRegistry } from './player-registry.js';
import type { ShardContext } from './shard-context.js';
import type { ShardZones } from './shard-zones.js';
import type { StateTracker } from './state-tracker.js';
import { PlayerImpl } from './world-objects.js';

/** What the lifecycle needs of its shard. */
export interface LifecycleHost {
  readonly index: number;
  readonly game: GameDefinition;
  /** Which shard of this node runs each zone. */
  readonly zones: Pick<ShardZones, 'shardOf'>;
  readonly players: PlayerRegistry;
  readonly state: StateTracker;
  readonly handoffs: Handoffs;
  readonly fanOut: FanOut;
  readonly ctx: ShardContext;
  readonly currentTick: number;
  /** Runs a game hook; a hook that throws is logged and counted, never fatal. */
  hook(fn: () => void, name: string): void;
}

/**
 * How players come into a shard and leave it: a login or a re-join after a restart (`join`), an
 * adoption from another shard (`adopt`), a move within the shard or to another one (`move`), a
 * resume on another gateway connection (`rebind`), and leaving the world (`leave`). Each runs the
 * game's hooks and records what changed.
 */
export class PlayerLifecycle {
  readonly #host: LifecycleHost;
  /** Snapshots a restarted shard was given, taken by each player's re-join. */
  readonly #restored = new Map<string, PlayerSnapshot>();
  /** One copy of each zone, room, role and capability list, however many players share it. */
  readonly #intern = new Interner();
  /** Rebinds asked for this tick, applied at its end (`settleRebinds`). */
  #rebinds: Array<{ player: PlayerImpl; from: RebindInput }> = [];

  constructor(host: LifecycleHost, restored: readonly PlayerSnapshot[]) {
    this.#host = host;
    for (const snapshot of restored) this.#restored.set(snapshot.username, snapshot);
  }

  join(gateway: number, r: JoinInput): void {
    const { game, zones, index, handoffs, currentTick } = this.#host;
    let snapshot = r.snapshot;
    if (r.restore) snapshot = this.#restored.get(r.username) ?? snapshot;
    this.#restored.delete(r.username);
    const start = typeof game.start === 'function' ? game.start(r.username) : game.start;
    let zone = snapshot?.data.zone ?? start.zone;
    let room: string | undefined = snapshot ? (snapshot.data.room ?? undefined) : start.room;
    if (zones.shardOf(zone) === undefined) {
      zone = start.zone;
      room = start.room;
    }
    const intern = this.#intern;
    const player = new PlayerImpl({
      username: r.username,
      session: r.session,
      roles: intern.list(r.roles),
      capabilities: intern.list(r.capabilities),
      zone: intern.string(zone),
      room: room === undefined ? undefined : intern.string(room),
      state: snapshot?.data.state ?? game.newPlayerState?.(r.username) ?? {},
      gateway,
      conn: r.conn,
      since: r.since,
      version: snapshot?.version ?? 0,
    });
    // The start zone too may be on no shard of this node (a cluster node that lost it meanwhile):
    // the shard that had it is told to leave it (`join` then finds the player gone).
    const owner = zones.shardOf(zone);
    // Saved in a zone another shard owns (the placement changed): hand off at once.
    if (owner === undefined) this.#refuse(player);
    else if (owner !== index) handoffs.handOff(player, owner, currentTick);
    else this.#admit(player, r.restore ? 'restore' : 'login');
  }

  adopt(records: readonly HandoffRecord[]): void {
    const { players, ctx } = this.#host;
    for (const r of records) {
      if (players.byName(r.username) !== undefined) continue;
      if (!players.zones.has(r.zone)) {
        ctx.log.error({ zone: r.zone, username: r.username }, 'handoff into a zone this shard does not own');
        continue;
      }
      const intern = this.#intern;
      const player = new PlayerImpl({
        username: r.username,
        session: r.session,
        roles: intern.list(r.roles),
        capabilities: intern.list(r.capabilities),
        zone: intern.string(r.zone),
        room: r.room === null ? undefined : intern.string(r.room),
        state: r.state,
        gateway: r.gateway,
        conn: r.conn,
        since: r.since,
        version: r.version,
      });
      this.#admit(player, 'handoff');
    }
  }

  leave(player: PlayerImpl, reason: LeaveReason): void {
    const { game, ctx, players, state } = this.#host;
    this.#host.hook(() => game.onPlayerLeave?.(player, ctx, reason), 'onPlayerLeave');
    players.remove(player);
    state.left(player);
  }

  /**
   * Moves a player of this shard: within the shard's zones at once (onPlayerMove), into a zone of
   * another shard by a handoff at the end of the tick (onPlayerLeave 'handoff' here, onPlayerEnter
   * 'handoff' there).
   */
  move(p: PlayerImpl, to: Location): void {
    const { players, zones, index, game, ctx, state, handoffs } = this.#host;
    if (!players.owns(p)) return; // left or handed off already this tick
    const target = zones.shardOf(to.zone);
    if (target === undefined) {
      if (game.zones.some((z) => z.id === to.zone)) throw new ZoneNotHereError(to.zone);
      throw new UnknownZoneError(to.zone);
    }
    const from: Location = { zone: p.zone, room: p.room };
    if (target !== index) {
      p.zone = to.zone;
      p.room = to.room;
      this.#host.hook(() => game.onPlayerLeave?.(p, ctx, 'handoff'), 'onPlayerLeave');
      players.remove(p, from.zone, from.room);
      state.forgetPlayer(p);
      handoffs.handOff(p, target, this.#host.currentTick);
      return;
    }
    players.move(p, to.zone, to.room);
    state.markPlayer(p);
    state.publish(p);
    this.#host.hook(() => game.onPlayerMove?.(p, from, ctx), 'onPlayerMove');
  }

  /**
   * The player resumed on another gateway connection. Applied at the end of the tick, so that
   * everything this tick sends it still goes to the old connection (which keeps it for the
   * replay) and everything after goes to the new one.
   */
  rebind(player: PlayerImpl, r: RebindInput): void {
    this.#rebinds.push({ player, from: r });
  }

  /**
   * Applies this tick's rebinds: the old connection is told its output ends here (a kick its
   * gateway reads as the end of the move), the player takes the new route (every shard's
   * directory learns it, the new gateway learns the shard), then `onPlayerEnter` with 'resume'.
   * A player who left this tick meanwhile is skipped; one handed off follows with its rebind.
   */
  settleRebinds(): void {
    if (this.#rebinds.length === 0) return;
    const { players, fanOut, state, index, game, ctx, handoffs } = this.#host;
    const rebinds = this.#rebinds;
    this.#rebinds = [];
    for (const { player, from } of rebinds) {
      if (!players.owns(player)) {
        const target = handoffs.forwardTarget(player.gateway, player.conn);
        if (target !== undefined) handoffs.forward(target, player.gateway, from);
        continue;
      }
      fanOut.kick(player.username, 'resumed from another connection', CloseCode.TakenOver);
      players.rekey(player, from.gateway, from.toConn);
      state.publish(player);
      fanOut.route(player.gateway, player.conn, index);
      this.#host.hook(() => game.onPlayerEnter?.(player, ctx, 'resume'), 'onPlayerEnter');
    }
  }

  /** Nowhere on this node to put the player (its zone left the node as it logged in): disconnect. */
  #refuse(player: PlayerImpl): void {
    const { ctx, fanOut } = this.#host;
    ctx.log.warn(
      { username: player.username, zone: player.zone },
      'joined into a zone this node does not run',
    );
    fanOut.kickConn(player.gateway, player.conn, ZONE_MOVED_CODE, ZONE_MOVED_REASON);
  }

  #admit(player: PlayerImpl, reason: EnterReason): void {
    const { players, handoffs, state, fanOut, index, game, ctx } = this.#host;
    players.add(player);
    handoffs.arrived(player);
    state.markPlayer(player);
    state.publish(player);
    if (reason === 'handoff') {
      fanOut.route(player.gateway, player.conn, index);
      handoffs.hold(player, this.#host.currentTick);
    }
    this.#host.hook(() => game.onPlayerEnter?.(player, ctx, reason), 'onPlayerEnter');
  }
}
