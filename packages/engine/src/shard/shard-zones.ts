import type { GameLogger } from '../game/context.js';
import type { GameDefinition, LeaveReason } from '../game/game-definition.js';
import type { WorldRecord } from '../ipc/state-batch.js';
import type { ZoneChange } from '../ipc/zone-change.js';
import { ZONE_MOVED_CODE, ZONE_MOVED_REASON } from '../ipc/zone-moved.js';
import type { FanOut } from './fan-out.js';
import type { ShardContext } from './shard-context.js';
import type { StateTracker } from './state-tracker.js';
import type { PlayerImpl, ZoneImpl } from './world-objects.js';
import { loadZone, worldByZone } from './zone-loader.js';

/** What the zones need of their shard. */
export interface ZonesHost {
  readonly index: number;
  readonly game: GameDefinition;
  readonly state: StateTracker;
  readonly fanOut: FanOut;
  readonly ctx: ShardContext;
  readonly log: GameLogger;
  leave(player: PlayerImpl, reason: LeaveReason): void;
  /** Runs a game hook; a hook that throws is logged and counted, never fatal. */
  hook(fn: () => void, name: string): void;
}

/**
 * The zones a shard runs, and which shard of this node runs each zone it knows (the routes: where
 * a player moving into a zone is handed off). Both start from the zone map at start; on a cluster
 * node main changes them as zones come and go (ipc/zone-change.ts), and a zone that unloads stays
 * until the end of its last tick, so that its final state is in that tick's batch.
 */
export class ShardZones {
  /** The zones this shard runs, by id. */
  readonly loaded = new Map<string, ZoneImpl>();
  readonly #routes: Map<string, number>;
  readonly #definitions: ReadonlyMap<string, GameDefinition['zones'][number]>;
  #unloading: ZoneImpl[] = [];
  #host: ZonesHost | undefined;

  constructor(game: GameDefinition, routes: Readonly<Record<string, number>>) {
    this.#routes = new Map(Object.entries(routes));
    this.#definitions = new Map(game.zones.map((z) => [z.id, z]));
  }

  /** The shard that runs `zone` on this node, or undefined when none does. */
  shardOf(zone: string): number | undefined {
    return this.#routes.get(zone);
  }

  /** Loads the zones the routes give this shard, from the given world records (no hooks run). */
  loadInitial(host: ZonesHost, world: readonly WorldRecord[]): void {
    this.#host = host;
    const byZone = worldByZone(world);
    for (const [zone, shard] of this.#routes) {
      const definition = this.#definitions.get(zone);
      if (shard !== host.index || definition === undefined) continue;
      this.loaded.set(zone, loadZone(definition, byZone.get(zone) ?? [], host.state));
    }
  }

  /** Applies a change from main: routes first, then loads, then unloads. */
  apply(change: ZoneChange): void {
    const host = this.#host!;
    for (const zone of change.unroute ?? []) this.#routes.delete(zone);
    // A zone this shard runs keeps its route here (a late route from elsewhere must not take it).
    for (const [zone, shard] of Object.entries(change.route ?? {}))
      if (!this.loaded.has(zone)) this.#routes.set(zone, shard);
    for (const { zone, world } of change.load ?? []) this.#load(host, zone, world);
    for (const zone of change.unload ?? []) this.#unload(host, zone);
  }

  /** Ends the unloads of this tick, once its state batch is taken. */
  settle(): void {
    if (this.#unloading.length === 0) return;
    for (const zone of this.#unloading) {
      if (this.loaded.get(zone.id) === zone) this.loaded.delete(zone.id);
      this.#host!.state.forgetZone(zone);
    }
    this.#unloading = [];
  }

  #load(host: ZonesHost, id: string, world: readonly WorldRecord[]): void {
    const definition = this.#definitions.get(id);
    if (definition === undefined) {
      host.log.error({ zone: id }, 'asked to load a zone the game does not define; ignored');
      return;
    }
    if (this.loaded.has(id)) {
      host.log.error({ zone: id }, 'asked to load a zone this shard runs already; ignored');
      return;
    }
    const zone = loadZone(definition, world, host.state);
    this.loaded.set(id, zone);
    this.#routes.set(id, host.index);
    host.hook(() => host.game.onZoneLoad?.(zone, host.ctx), 'onZoneLoad');
  }

  /**
   * Its players are disconnected and leave (their final snapshots in this tick's batch), the game
   * is told, and the zone's state and entities are saved once more; it is removed at `settle`.
   */
  #unload(host: ZonesHost, id: string): void {
    const zone = this.loaded.get(id);
    if (zone === undefined) return;
    this.#routes.delete(id);
    for (const player of [...zone.members]) {
      host.fanOut.kick(player.username, ZONE_MOVED_REASON, ZONE_MOVED_CODE);
      host.leave(player, 'shutdown');
    }
    host.hook(() => host.game.onZoneUnload?.(zone, host.ctx), 'onZoneUnload');
    host.state.markZone(zone);
    this.#unloading.push(zone);
  }
}
