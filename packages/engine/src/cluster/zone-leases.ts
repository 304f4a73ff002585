import type { Redis } from 'ioredis';
import { ClusterConfigError, ZoneLeaseHeldError } from '../errors.js';
import { ACQUIRE, RELEASE, RENEW } from './lease-scripts.js';
import { unavailable } from './redis-client.js';

/** A zone's lease as its holder knows it: the token fences every save of the zone's state. */
export interface ZoneLease {
  readonly zone: string;
  readonly node: string;
  /** Grows by at least one each time the zone changes hands; the store refuses saves below it. */
  readonly token: number;
}

/** Who holds a zone's lease right now, as Redis says. */
export interface LeaseHolder {
  readonly node: string;
  readonly token: number;
  /** Milliseconds until the lease ends unless renewed. */
  readonly remainingMs: number;
}

export interface ZoneLeasesOptions {
  /** The cluster's name: the prefix of its keys, so that clusters can share one Redis. */
  readonly cluster: string;
  /** This node's id, unique per process run: a restarted node is a new holder. */
  readonly node: string;
}

interface LeaseCommands {
  levLeaseAcquire(lease: string, fence: string, node: string, ttlMs: number, floor: number): Promise<unknown>;
  levLeaseRenew(lease: string, holder: string, ttlMs: number): Promise<number>;
  levLeaseRelease(lease: string, holder: string): Promise<number>;
}

/**
 * Zone leases in Redis, one atomic script per operation (lease-scripts.ts). This is the raw
 * protocol; lease-keeper.ts renews what a node holds and decides, by the node's own clock, when a
 * lease must be treated as lost.
 */
export class ZoneLeases {
  readonly node: string;
  readonly #redis: Redis & LeaseCommands;
  readonly #prefix: string;

  constructor(redis: Redis, options: ZoneLeasesOptions) {
    if (options.node === '' || /[\t\r\n]/.test(options.node))
      throw new ClusterConfigError(
        `node id ${JSON.stringify(options.node)}: must be non-empty, without tabs or newlines`,
      );
    this.node = options.node;
    this.#prefix = `lev:${options.cluster}:zone:`;
    // defineCommand sends each script once (EVALSHA after), and again if Redis lost its cache.
    if (!('levLeaseAcquire' in redis)) {
      redis.defineCommand('levLeaseAcquire', { numberOfKeys: 2, lua: ACQUIRE });
      redis.defineCommand('levLeaseRenew', { numberOfKeys: 1, lua: RENEW });
      redis.defineCommand('levLeaseRelease', { numberOfKeys: 1, lua: RELEASE });
    }
    this.#redis = redis as Redis & LeaseCommands;
  }

  /**
   * Takes the zone's lease for `ttlMs`, with a token above `floor` (the highest the store has
   * accepted for the zone: `store.zoneFence(zone)`). Resolves with the lease when this node now
   * holds it (again: a second call renews and keeps the token); rejects with ZoneLeaseHeldError
   * when another node does, or ClusterUnavailableError when Redis does not answer.
   */
  async acquire(zone: string, ttlMs: number, floor: number): Promise<ZoneLease> {
    let reply: unknown;
    try {
      reply = await this.#redis.levLeaseAcquire(
        this.#key(zone, 'lease'),
        this.#key(zone, 'fence'),
        this.node,
        ttlMs,
        floor,
      );
    } catch (error) {
      throw unavailable(`acquire zone ${zone}`, error);
    }
    const [ok, a, b] = reply as [number, string, number?];
    if (ok === 1) return { zone, node: this.node, token: Number(a) };
    throw new ZoneLeaseHeldError(zone, a, Math.max(0, b ?? 0));
  }

  /**
   * Extends each lease by `ttlMs`, in one round trip; true for each one still this node's. False
   * means it ran out and may be another node's now: the holder must stop writing that zone.
   */
  async renew(leases: readonly ZoneLease[], ttlMs: number): Promise<boolean[]> {
    if (leases.length === 0) return [];
    const pipeline = this.#redis.pipeline() as ReturnType<Redis['pipeline']> & {
      levLeaseRenew(lease: string, holder: string, ttlMs: number): unknown;
    };
    for (const lease of leases)
      pipeline.levLeaseRenew(this.#key(lease.zone, 'lease'), holderOf(lease), ttlMs);
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      throw unavailable('renew leases', error);
    }
    if (replies === null) throw unavailable('renew leases', new Error('the pipeline was discarded'));
    return replies.map(([error, value]) => {
      if (error) throw unavailable('renew leases', error);
      return value === 1;
    });
  }

  /** Gives the lease up so another node can take the zone at once. False: it was not ours anymore. */
  async release(lease: ZoneLease): Promise<boolean> {
    try {
      return (await this.#redis.levLeaseRelease(this.#key(lease.zone, 'lease'), holderOf(lease))) === 1;
    } catch (error) {
      throw unavailable(`release zone ${lease.zone}`, error);
    }
  }

  /** The zone's current holder, or undefined when no node holds it. */
  async holder(zone: string): Promise<LeaseHolder | undefined> {
    let value: string | null;
    let remainingMs: number;
    try {
      const key = this.#key(zone, 'lease');
      const replies = await this.#redis.multi().get(key).pttl(key).exec();
      value = (replies?.[0]?.[1] as string | null) ?? null;
      remainingMs = Number(replies?.[1]?.[1] ?? 0);
    } catch (error) {
      throw unavailable(`read the holder of zone ${zone}`, error);
    }
    if (value === null) return undefined;
    const tab = value.indexOf('\t');
    return {
      node: value.slice(0, tab),
      token: Number(value.slice(tab + 1)),
      remainingMs: Math.max(0, remainingMs),
    };
  }

  #key(zone: string, kind: 'lease' | 'fence'): string {
    return `${this.#prefix}{${zone}}:${kind}`;
  }
}

function holderOf(lease: ZoneLease): string {
  return `${lease.node}\t${lease.token}`;
}
