import { performance } from 'node:perf_hooks';
import { ClusterConfigError, ZoneLeaseLostError } from '../errors.js';
import type { Store, ZoneFence } from '../store/store.js';
import type { ClusterMetrics, LeaseEvent } from './cluster-metrics.js';
import type { ZoneLease, ZoneLeases } from './zone-leases.js';

export interface LeaseKeeperOptions {
  readonly leases: ZoneLeases;
  /**
   * The store's fences (the store itself will do): a new lease starts above the zone's stored fence,
   * whatever Redis remembers, and is claimed there before `acquire` resolves, so that from then on
   * the store refuses saves under any older lease.
   */
  readonly fences: Pick<Store, 'zoneFence' | 'claimZoneFence'>;
  /**
   * A lease's length. A node that dies holds its zones this long at most before another node may
   * take them; a shorter lease means more renewals. @default 3000
   */
  readonly ttlMs?: number;
  /** How often held leases are renewed (all in one round trip). @default ttlMs / 3 */
  readonly renewEveryMs?: number;
  /**
   * Called once for each lease lost: it ran out before Redis confirmed a renewal, or Redis says it is
   * another node's. The zone must not be written from then on (the store refuses it anyway).
   */
  readonly onLost: (error: ZoneLeaseLostError) => void;
  readonly metrics?: Pick<ClusterMetrics, 'events' | 'zonesHeld'> | undefined;
}

interface Held {
  readonly lease: ZoneLease;
  /** performance.now() after which this node treats the lease as gone. */
  validUntil: number;
}

/**
 * Keeps a node's zone leases: takes them, renews them all every `renewEveryMs`, and decides by the
 * node's own monotonic clock when one must be treated as lost.
 *
 * Why the local clock: a lease is good until `sent + ttl − margin`, where `sent` is when the
 * renewal that extended it left this process. Redis sets the expiry when the script runs, later than
 * `sent`, so Redis never frees a zone while its holder still thinks it holds it, however slow the
 * reply or Redis itself (the margin, a tenth of the lease, covers clock rate differences). When Redis
 * is down nothing is renewed and every lease ends on time, on this side as on Redis's. A process
 * paused past that point may still send one save written before the pause: fencing tokens in the
 * store refuse it.
 */
export class LeaseKeeper {
  readonly ttlMs: number;
  readonly renewEveryMs: number;
  readonly #options: LeaseKeeperOptions;
  readonly #held = new Map<string, Held>();
  /** Zone → the token of the latest lease this node took on it, kept after the lease is gone. */
  readonly #lastTokens = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  /** Fires when the earliest lease runs out, so that onLost comes on time, not at the next renewal. */
  #expiryTimer: NodeJS.Timeout | undefined;
  #renewing = false;
  #closed = false;

  constructor(options: LeaseKeeperOptions) {
    this.#options = options;
    this.ttlMs = options.ttlMs ?? 3000;
    this.renewEveryMs = options.renewEveryMs ?? Math.floor(this.ttlMs / 3);
    if (!(this.ttlMs >= 100)) throw new ClusterConfigError(`lease ttlMs ${this.ttlMs}: must be at least 100`);
    if (!(this.renewEveryMs > 0 && this.renewEveryMs <= this.ttlMs / 2))
      throw new ClusterConfigError(
        `renewEveryMs ${this.renewEveryMs}: must be positive and at most half the lease (${this.ttlMs} ms), so one failed renewal does not lose it`,
      );
  }

  /**
   * Takes the zone's lease (see ZoneLeases.acquire for the errors), claims its token in the store,
   * and keeps renewing it until it is released or lost. Load the zone's state only after this
   * resolves: the claim is what stops the previous owner's late saves.
   */
  async acquire(zone: string): Promise<ZoneLease> {
    if (this.#closed) throw new ClusterConfigError('the lease keeper is closed');
    const floor = await this.#options.fences.zoneFence(zone);
    const sent = performance.now();
    const lease = await this.#options.leases.acquire(zone, this.ttlMs, floor);
    let stored: number;
    try {
      stored = await this.#options.fences.claimZoneFence(zone, lease.token);
    } catch (error) {
      // A zone whose fence cannot be claimed cannot be owned safely: let another node try.
      await this.#options.leases.release(lease).catch(() => false);
      throw error;
    }
    if (stored > lease.token) {
      // A newer lease has claimed the zone already (Redis lost a newer one in a restart).
      await this.#options.leases.release(lease).catch(() => false);
      throw new ZoneLeaseLostError(zone, 'taken');
    }
    const known = this.#held.get(zone);
    this.#held.set(zone, { lease, validUntil: this.#deadline(sent) });
    this.#lastTokens.set(zone, lease.token);
    if (known === undefined) this.#event('acquired');
    this.#schedule();
    this.#armExpiry();
    return lease;
  }

  /** The zone's lease while this node holds it by its own clock; undefined once lost or released. */
  lease(zone: string): ZoneLease | undefined {
    const held = this.#held.get(zone);
    if (held === undefined) return undefined;
    if (performance.now() < held.validUntil) return held.lease;
    this.#lose(zone, 'expired');
    return undefined;
  }

  /**
   * The fence for saving the zone's state: the token of the latest lease this node took on it, held
   * or not. State written while the node held the zone is saved under it even after the lease is
   * gone (a save in flight, a flush after a Redis outage); the store accepts it unless another node
   * has claimed the zone under a newer lease since. Should this node take the zone again later,
   * state left from its earlier lease goes out under the new token, and the version check stops it
   * if anything was saved in between. Undefined for a zone this node never held.
   */
  fenceFor(zone: string): ZoneFence | undefined {
    const token = this.#lastTokens.get(zone);
    return token === undefined ? undefined : { zone, token };
  }

  /** Zones held now. */
  zones(): string[] {
    return [...this.#held.keys()].filter((zone) => this.lease(zone) !== undefined);
  }

  /**
   * Gives a zone up: this node stops treating it as its own at once, then tells Redis, so that
   * another node can take it without waiting for the lease to run out. Resolves false when Redis had
   * it as another node's already, or could not be told (the lease then simply runs out).
   */
  async release(zone: string): Promise<boolean> {
    const held = this.#held.get(zone);
    if (held === undefined) return false;
    this.#held.delete(zone);
    this.#event('released');
    try {
      return await this.#options.leases.release(held.lease);
    } catch {
      return false;
    }
  }

  /** Releases every lease and stops renewing. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#expiryTimer) clearTimeout(this.#expiryTimer);
    this.#timer = undefined;
    this.#expiryTimer = undefined;
    await Promise.all([...this.#held.keys()].map((zone) => this.release(zone)));
  }

  /** Renews now (the timer calls this; tests and shutdown may too). */
  async renewNow(): Promise<void> {
    if (this.#renewing) return;
    this.#renewing = true;
    try {
      this.#expireOverdue();
      const held = [...this.#held.values()];
      if (held.length === 0) return;
      const sent = performance.now();
      let stillOurs: boolean[];
      try {
        stillOurs = await this.#options.leases.renew(
          held.map((h) => h.lease),
          this.ttlMs,
        );
      } catch {
        this.#event('renew_failed');
        return;
      }
      held.forEach((h, i) => {
        // Released or re-acquired while the renewal was in flight: that newer state wins.
        if (this.#held.get(h.lease.zone) !== h) return;
        if (stillOurs[i]) h.validUntil = this.#deadline(sent);
        else this.#lose(h.lease.zone, 'taken');
      });
    } finally {
      this.#renewing = false;
      this.#expireOverdue();
      this.#armExpiry();
    }
  }

  #armExpiry(): void {
    if (this.#expiryTimer) clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    if (this.#closed || this.#held.size === 0) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const held of this.#held.values()) earliest = Math.min(earliest, held.validUntil);
    this.#expiryTimer = setTimeout(
      () => {
        this.#expiryTimer = undefined;
        this.#expireOverdue();
        this.#armExpiry();
      },
      Math.max(0, Math.ceil(earliest - performance.now())),
    );
    this.#expiryTimer.unref();
  }

  #expireOverdue(): void {
    const now = performance.now();
    for (const [zone, held] of this.#held) if (now >= held.validUntil) this.#lose(zone, 'expired');
  }

  #lose(zone: string, reason: 'expired' | 'taken'): void {
    if (!this.#held.delete(zone)) return;
    this.#event(reason === 'expired' ? 'lost_expired' : 'lost_taken');
    this.#options.onLost(new ZoneLeaseLostError(zone, reason));
  }

  #deadline(sent: number): number {
    return sent + this.ttlMs - Math.max(this.ttlMs / 10, 20);
  }

  /**
   * Renewals start every `renewEveryMs` whatever each one takes (a slow one delays the next by its
   * excess only), so a renewal that times out still leaves time for another before the lease ends.
   */
  #schedule(delayMs = this.renewEveryMs): void {
    if (this.#timer !== undefined || this.#closed) return;
    const run = () => {
      this.#timer = undefined;
      if (this.#held.size === 0 || this.#closed) return;
      const started = performance.now();
      void this.renewNow().finally(() =>
        this.#schedule(Math.max(0, this.renewEveryMs - (performance.now() - started))),
      );
    };
    this.#timer = setTimeout(run, delayMs);
    this.#timer.unref();
  }

  #event(event: LeaseEvent): void {
    this.#options.metrics?.events.inc({ event });
    this.#options.metrics?.zonesHeld.set(this.#held.size);
  }
}
