import type { ZoneHandlers } from '../cluster/zone-coordinator.js';
import type { ZoneDirectory } from '../cluster/zone-directory.js';
import type { ZoneLease } from '../cluster/zone-leases.js';
import type { ZoneLeaseLostError } from '../errors.js';
import type { ZoneChange } from '../ipc/zone-change.js';
import { shardOfZone } from '../ipc/zone-map.js';
import type { Logger } from '../logging/logger.js';
import type { ShardSupervisor } from '../supervisor/shard-supervisor.js';
import type { StateCache } from '../supervisor/state-cache.js';
import type { PersistenceHooks } from './persistence-hooks.js';
import type { ZoneTable } from './zone-table.js';

export interface ZoneHostOptions {
  /** This node's name. */
  readonly node: string;
  /** Where the other nodes look up which node and shard run a zone. */
  readonly directory: Pick<ZoneDirectory, 'publish' | 'withdraw'>;
  readonly zones: ZoneTable;
  readonly supervisor: Pick<ShardSupervisor, 'count' | 'changeZones'>;
  readonly cache: StateCache;
  readonly persistence: PersistenceHooks;
  /** Explicit zone → shard placement within the node (config `zoneShards`). */
  readonly zoneShards: Readonly<Record<string, number>>;
  readonly log: Logger;
  /**
   * How long a zone's final state may take to reach the store before the zone is given away anyway
   * (the store down: the next owner then starts from the last state saved). @default 5000
   */
  readonly settleMs?: number;
  /** How long a shard may take to apply a zone change. @default 5000 */
  readonly changeTimeoutMs?: number;
}

/**
 * A cluster node's side of its zones coming and going (the zone coordinator's handlers): it loads a
 * zone whose lease the node gained into one of its shards, saves and unloads one it hands over, and
 * drops at once one whose lease it lost.
 *
 * Gained: the zone's records are read from the store (another node may have written them since),
 * put in main's cache, and the shard that runs the zone here (by `zoneShards`, else a stable hash)
 * loads them; only then is the zone in the zone table, so no login is placed in it before it runs.
 *
 * Handed over: out of the zone table first (no login or move into it from then on), then the
 * shard unloads it, its players let go (their gateways carry them to where the zone runs next:
 * gateway/zone-moves.ts) and their final state and the zone's in
 * that tick's batch, which the write-behind is made to save before the lease goes (fenced, like
 * every save of a cluster node). Lost: the same without the wait for the store, whose saves from
 * this node are refused from the moment another node claimed the zone.
 */
export class ZoneHost implements ZoneHandlers {
  readonly #o: ZoneHostOptions;

  constructor(options: ZoneHostOptions) {
    this.#o = options;
  }

  async gained(zone: string, lease: ZoneLease): Promise<void> {
    const { zones, supervisor, cache, persistence, zoneShards, log } = this.#o;
    zones.arriving(zone);
    let world: Awaited<ReturnType<NonNullable<PersistenceHooks['loadZoneWorld']>>>;
    try {
      world = (await persistence.loadZoneWorld?.(zone)) ?? [];
    } catch (error) {
      zones.abandon(zone);
      throw error;
    }
    cache.evictZone(zone);
    cache.putWorld(world);
    const shard = shardOfZone(zone, supervisor.count, zoneShards);
    const others = this.#tellOthers(shard, { route: { [zone]: shard } });
    // In the table once the shard runs it: a login placed in it earlier could reach the shard's
    // input ring before the zone. A shard that is down gets it from the table when it restarts.
    await supervisor.changeZones(
      shard,
      { route: { [zone]: shard }, load: [{ zone, world }] },
      this.#timeoutMs,
    );
    zones.set(zone, shard);
    await others;
    // Told to the other nodes last, once players can be placed in it here.
    await this.#o.directory
      .publish(zone, { node: this.#o.node, shard })
      .catch((err: unknown) =>
        log.warn({ err, zone }, `zone ${zone} runs here, but the other nodes could not be told (Redis)`),
      );
    log.info({ zone, shard, token: lease.token, records: world.length }, `zone ${zone} runs here now`);
  }

  async releasing(zone: string): Promise<void> {
    const { cache, persistence, log } = this.#o;
    if (!(await this.#unload(zone))) return;
    const settleMs = this.#o.settleMs ?? 5000;
    const { unsaved } = (await persistence.settle?.(settleMs)) ?? { unsaved: 0 };
    if (unsaved > 0) {
      log.error(
        { zone, unsaved },
        `zone ${zone} is handed over with state the store did not take within ${settleMs} ms; the next owner starts from what was saved`,
      );
    }
    cache.evictZone(zone);
    log.info({ zone }, `zone ${zone} handed over`);
  }

  lost(error: ZoneLeaseLostError): void {
    const { cache, log } = this.#o;
    log.error({ err: error, zone: error.zone }, `zone ${error.zone} lost: its players are disconnected`);
    void this.#unload(error.zone).then(() => cache.evictZone(error.zone));
  }

  /** Takes the zone off this node's table and out of its shard; false when it was not here. */
  async #unload(zone: string): Promise<boolean> {
    const { zones, supervisor } = this.#o;
    const shard = zones.shardOf(zone);
    if (shard === undefined) return false;
    zones.delete(zone);
    // The other nodes stop sending players to it.
    await this.#o.directory
      .withdraw(zone, { node: this.#o.node, shard })
      .catch((err: unknown) =>
        this.#o.log.warn({ err, zone }, 'withdrawing a zone from the directory failed'),
      );
    const others = this.#tellOthers(shard, { unroute: [zone] });
    await supervisor.changeZones(shard, { unroute: [zone], unload: [zone] }, this.#timeoutMs);
    await others;
    return true;
  }

  /** Sends a change to every shard of this node but `shard`; settles once each applied it. */
  #tellOthers(shard: number, change: ZoneChange): Promise<unknown> {
    const { supervisor } = this.#o;
    const told: Array<Promise<boolean>> = [];
    for (let s = 0; s < supervisor.count; s++)
      if (s !== shard) told.push(supervisor.changeZones(s, change, this.#timeoutMs));
    return Promise.all(told);
  }

  get #timeoutMs(): number {
    return this.#o.changeTimeoutMs ?? 5000;
  }
}
