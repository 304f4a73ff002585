import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ZoneLeaseHeldError, type ZoneLeaseLostError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { ClusterMetrics } from './cluster-metrics.js';
import { LeaseKeeper } from './lease-keeper.js';
import { type NodeInfo, NodeMembership } from './node-membership.js';
import { type ZoneLease, ZoneLeases } from './zone-leases.js';
import { placeZones, zonesOf } from './zone-placement.js';

/** What the node does when a zone comes to it or leaves it. */
export interface ZoneHandlers {
  /** The zone is this node's now (its lease taken and claimed in the store): load it from the store. */
  gained(zone: string, lease: ZoneLease): Promise<void>;
  /** The zone is to move to another node: save its state and unload it; its lease is released after. */
  releasing(zone: string): Promise<void>;
  /** The lease was lost (ran out, or another node took it): stop the zone at once; saves are fenced. */
  lost(error: ZoneLeaseLostError): void;
}

export interface ZoneCoordinatorOptions {
  readonly redis: Redis;
  readonly cluster: string;
  /** This node's name: stable across restarts (placement is by name), unique in the cluster. */
  readonly name: string;
  readonly info: NodeInfo;
  /** Every zone of the world. */
  readonly zones: readonly string[];
  readonly fences: Pick<Store, 'zoneFence' | 'claimZoneFence'>;
  readonly handlers: ZoneHandlers;
  readonly pins?: Readonly<Record<string, string>> | undefined;
  /** Lease length and node heartbeat ttl. @default 3000 */
  readonly ttlMs?: number;
  /** How often a zone the placement gives this node but another still holds is tried again. @default 250 */
  readonly retryEveryMs?: number;
  readonly metrics?: ClusterMetrics | undefined;
  /** The nodes up changed (sorted names). */
  readonly onNodesChange?: ((nodes: readonly string[]) => void) | undefined;
  /** A zone gained could not be loaded (`handlers.gained` threw); its lease was given back. */
  readonly onZoneError?: ((zone: string, error: unknown) => void) | undefined;
  /** No heartbeat got through for a ttl: the node counts itself alone (node-membership.ts). */
  readonly onCutOff?: (() => void) | undefined;
}

/**
 * Keeps a node's zones in line with the placement: joins the cluster's membership, computes which
 * zones are this node's from the nodes up (zone-placement.ts), takes the leases of those it lacks
 * and hands over those it should no longer have. A handover is polite: the old owner saves and
 * unloads the zone, then releases its lease, and the new owner (retrying every `retryEveryMs`)
 * takes it at once. A dead node's zones are taken when its leases run out. The game side of a zone
 * (loading, saving, unloading) is the `handlers`' business.
 */
export class ZoneCoordinator {
  readonly name: string;
  readonly membership: NodeMembership;
  readonly keeper: LeaseKeeper;
  readonly #options: ZoneCoordinatorOptions;
  readonly #retryEveryMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #draining = false;
  #stopped = false;
  #desired: ReadonlySet<string> | undefined;
  /** The placeable nodes that `#desired` was placed over. */
  #desiredFor = '';

  constructor(options: ZoneCoordinatorOptions) {
    this.#options = options;
    this.name = options.name;
    this.#retryEveryMs = options.retryEveryMs ?? 250;
    const ttlMs = options.ttlMs ?? 3000;
    this.membership = new NodeMembership({
      redis: options.redis,
      cluster: options.cluster,
      node: options.name,
      info: options.info,
      ttlMs,
      onChange: (nodes) => {
        options.onNodesChange?.(nodes);
        this.#kick();
      },
      nodesUp: options.metrics?.nodesUp,
      onCutOff: options.onCutOff,
    });
    this.keeper = new LeaseKeeper({
      // A holder id per process run: a restarted node must not inherit the leases of its old self.
      leases: new ZoneLeases(options.redis, {
        cluster: options.cluster,
        node: `${options.name}/${randomBytes(4).toString('hex')}`,
      }),
      fences: options.fences,
      ttlMs,
      onLost: (error) => {
        options.handlers.lost(error);
        this.#kick();
      },
      metrics: options.metrics,
    });
  }

  /** Joins the cluster and takes this node's zones (those free now; the others as they free up). */
  async start(): Promise<void> {
    await this.membership.join();
    this.#schedule();
    await this.reconcile();
  }

  /** The zones this node should own now, by the placement over the nodes it last saw up. */
  desiredZones(): ReadonlySet<string> {
    if (this.#draining) return new Set();
    // Placed again only when the nodes up change: for 10,000 zones a placement takes ~40 ms, too
    // much for every retry.
    const placeable = this.membership.placeable();
    const nodes = placeable.join('\n');
    if (this.#desired === undefined || this.#desiredFor !== nodes) {
      const owners = placeZones(this.#options.zones, placeable, { pins: this.#options.pins });
      this.#desired = new Set(zonesOf(owners, this.name));
      this.#desiredFor = nodes;
    }
    return this.#desired;
  }

  /** Zones whose lease this node holds. */
  heldZones(): string[] {
    return this.keeper.zones();
  }

  /**
   * Brings held zones in line with the placement; calls made while one runs are folded into one more
   * run after it. Resolves when that is done.
   */
  reconcile(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#reconcileOnce();
        } while (this.#again && !this.#stopped);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  /**
   * Moves every zone away: the node stops counting in the placement (it stays up, holding its
   * players' names), hands each zone over (save, unload, release) and the others take them at once.
   * Resolves when it holds none; `stop` then leaves the cluster. For rolling deploys.
   */
  async drain(): Promise<void> {
    this.#draining = true;
    await this.membership.drain();
    await this.reconcile();
  }

  /**
   * Stops heartbeats, renewals and retries, and releases the leases still held without handing the
   * zones over: call it once the zones' state is saved (or use drain, which hands each one over).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.membership.leave().catch(() => {});
    await this.keeper.close();
  }

  async #reconcileOnce(): Promise<void> {
    const desired = this.desiredZones();
    for (const zone of this.keeper.zones()) {
      if (desired.has(zone)) continue;
      await this.#options.handlers.releasing(zone);
      await this.keeper.release(zone);
    }
    for (const zone of desired) {
      if (this.keeper.lease(zone) !== undefined) continue;
      let lease: ZoneLease;
      try {
        lease = await this.keeper.acquire(zone);
      } catch (error) {
        // Held by its previous owner until it hands it over or its lease runs out: the timer retries.
        if (error instanceof ZoneLeaseHeldError) continue;
        throw error;
      }
      try {
        await this.#options.handlers.gained(zone, lease);
      } catch (error) {
        // Not loaded (the store down, say): held, it would be run by nobody. Given back, it is tried
        // again at the next retry, here or on another node; the other zones go on meanwhile.
        await this.keeper.release(zone);
        this.#options.onZoneError?.(zone, error);
      }
    }
  }

  /** A reconcile whose failure (Redis or the store down) is left to the next retry. */
  #kick(): void {
    this.reconcile().catch(() => {});
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      const desired = this.desiredZones();
      const missing = [...desired].some((zone) => this.keeper.lease(zone) === undefined);
      const extra = this.keeper.zones().some((zone) => !desired.has(zone));
      const work = missing || extra ? this.reconcile().catch(() => {}) : Promise.resolve();
      void work.finally(() => this.#schedule());
    }, this.#retryEveryMs);
    this.#timer.unref();
  }
}
