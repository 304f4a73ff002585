import type { Redis } from 'ioredis';
import type { Gauge } from 'prom-client';
import { ClusterConfigError } from '../errors.js';
import { HEARTBEAT, LEAVE } from './membership-scripts.js';
import { duplicateForSubscribe, subscribeAcrossReconnects, unavailable } from './redis-client.js';

/** What a node tells the others about itself. */
export interface NodeInfo {
  /** Where players connect (host:port of its gateway), for redirects and the dashboard. */
  readonly address: string;
  /** When the process started (ISO 8601). */
  readonly startedAt: string;
}

export interface NodeMembershipOptions {
  readonly redis: Redis;
  readonly cluster: string;
  readonly node: string;
  readonly info: NodeInfo;
  /** A node missing heartbeats this long is down for the others. @default 3000 */
  readonly ttlMs?: number;
  /** @default ttlMs / 3 */
  readonly heartbeatEveryMs?: number;
  /**
   * Called with the sorted ids of the nodes up whenever that set, or the set of those draining,
   * changes (joins, drains, leaves, deaths).
   */
  readonly onChange?: (nodes: readonly string[]) => void;
  /** leviathan_cluster_nodes_up, as this node last saw it. */
  readonly nodesUp?: Gauge<string> | undefined;
  /**
   * No heartbeat got through for a whole ttl (Redis down, or this node cut off from it): the others
   * count this node as gone by now, so it counts itself alone (`onChange` with its own id only)
   * until a heartbeat gets through again.
   */
  readonly onCutOff?: (() => void) | undefined;
}

interface MembershipCommands {
  levHeartbeat(
    nodes: string,
    info: string,
    draining: string,
    node: string,
    ttlMs: number,
    json: string,
    drains: '0' | '1',
  ): Promise<[string[], string[]]>;
  levLeave(nodes: string, info: string, draining: string, node: string): Promise<number>;
}

/**
 * Which nodes are up: each node heartbeats into Redis and reads back the others in the same round
 * trip. Placement of zones follows the set this reports (a node joining or dying changes it within
 * one heartbeat period plus, for a death, the ttl).
 */
export class NodeMembership {
  readonly node: string;
  readonly ttlMs: number;
  readonly heartbeatEveryMs: number;
  readonly #options: NodeMembershipOptions;
  readonly #redis: Redis & MembershipCommands;
  readonly #prefix: string;
  #nodes: readonly string[] = [];
  /** The nodes up that drain: they keep their players' names but get no zones. */
  #drainingNodes: readonly string[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** A second connection (a subscribed one can do nothing else) for the join and leave notices. */
  #subscriber: Redis | undefined;
  #stopped = false;
  #draining = false;
  /** When a heartbeat last got through (performance.now()). */
  #lastHeardAt = 0;
  #cutOff = false;

  constructor(options: NodeMembershipOptions) {
    this.#options = options;
    this.node = options.node;
    this.ttlMs = options.ttlMs ?? 3000;
    this.heartbeatEveryMs = options.heartbeatEveryMs ?? Math.floor(this.ttlMs / 3);
    if (!(this.heartbeatEveryMs > 0 && this.heartbeatEveryMs <= this.ttlMs / 2))
      throw new ClusterConfigError(
        `heartbeatEveryMs ${this.heartbeatEveryMs}: must be positive and at most half of ttlMs (${this.ttlMs})`,
      );
    this.#prefix = `lev:${options.cluster}:`;
    if (!('levHeartbeat' in options.redis)) {
      options.redis.defineCommand('levHeartbeat', { numberOfKeys: 3, lua: HEARTBEAT });
      options.redis.defineCommand('levLeave', { numberOfKeys: 3, lua: LEAVE });
    }
    this.#redis = options.redis as Redis & MembershipCommands;
  }

  /** The nodes up at the last heartbeat (draining ones included), sorted. */
  nodes(): readonly string[] {
    return this.#nodes;
  }

  /** The nodes up and not draining at the last heartbeat, sorted: zones are placed over these. */
  placeable(): readonly string[] {
    if (this.#drainingNodes.length === 0) return this.#nodes;
    return this.#nodes.filter((node) => !this.#drainingNodes.includes(node));
  }

  /**
   * Announces this node (rejects when Redis does not answer) and heartbeats until `leave`. Joins and
   * clean leaves are also published, and every node heartbeats when it hears one, so that a drain's
   * zones move at once instead of at the others' next heartbeat (measured: a drain of 4 zones went
   * from about 450 ms, most of it that wait, to the handover itself). A death is still seen by the
   * ttl.
   */
  async join(): Promise<readonly string[]> {
    this.#stopped = false;
    await this.heartbeat();
    if (this.#subscriber === undefined) {
      const subscriber = duplicateForSubscribe(this.#redis);
      subscriber.on('message', () => {
        if (!this.#stopped) this.heartbeat().catch(() => {});
      });
      this.#subscriber = subscriber;
      try {
        await subscribeAcrossReconnects(subscriber, this.#channel());
      } catch (error) {
        this.#subscriber = undefined;
        subscriber.disconnect();
        throw unavailable('subscribe to membership notices', error);
      }
    }
    await this.#publish();
    this.#schedule();
    return this.#nodes;
  }

  /** One heartbeat now; resolves with the nodes up. */
  async heartbeat(): Promise<readonly string[]> {
    let ids: string[];
    let draining: string[];
    try {
      [ids, draining] = await this.#redis.levHeartbeat(
        `${this.#prefix}nodes`,
        `${this.#prefix}node:${this.node}`,
        `${this.#prefix}draining`,
        this.node,
        this.ttlMs,
        JSON.stringify(this.#options.info),
        this.#draining ? '1' : '0',
      );
    } catch (error) {
      throw unavailable('heartbeat', error);
    }
    this.#lastHeardAt = performance.now();
    this.#cutOff = false;
    const sorted = [...ids].sort();
    draining = draining.filter((id) => sorted.includes(id)).sort();
    this.#options.nodesUp?.set(sorted.length);
    const changed = !sameList(sorted, this.#nodes) || !sameList(draining, this.#drainingNodes);
    this.#nodes = sorted;
    this.#drainingNodes = draining;
    if (changed) this.#options.onChange?.(sorted);
    return sorted;
  }

  /** What a node up says about itself, or undefined when it is not up. */
  async info(node: string): Promise<NodeInfo | undefined> {
    let json: string | null;
    try {
      json = await this.#redis.get(`${this.#prefix}node:${node}`);
    } catch (error) {
      throw unavailable(`read node ${node}`, error);
    }
    return json === null ? undefined : (JSON.parse(json) as NodeInfo);
  }

  /**
   * This node drains: it stays up (it still holds its players' names, so a login elsewhere waits for
   * it to save and let go of one) but leaves the placement, so the others take its zones at once.
   */
  async drain(): Promise<void> {
    this.#draining = true;
    await this.heartbeat();
    await this.#publish();
  }

  /** Stops heartbeating and removes this node at once, so the others need not wait for the ttl. */
  async leave(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#subscriber?.disconnect();
    this.#subscriber = undefined;
    try {
      await this.#redis.levLeave(
        `${this.#prefix}nodes`,
        `${this.#prefix}node:${this.node}`,
        `${this.#prefix}draining`,
        this.node,
      );
    } catch (error) {
      throw unavailable('leave', error);
    }
    await this.#publish();
  }

  /** After a ttl without a heartbeat, the others have dropped this node: it is alone now. */
  #checkCutOff(): void {
    if (this.#cutOff || this.#stopped || performance.now() - this.#lastHeardAt < this.ttlMs) return;
    this.#cutOff = true;
    const alone = [this.node];
    const changed = !sameList(alone, this.#nodes);
    this.#nodes = alone;
    this.#drainingNodes = this.#draining ? alone : [];
    this.#options.nodesUp?.set(1);
    this.#options.onCutOff?.();
    if (changed) this.#options.onChange?.(alone);
  }

  #channel(): string {
    return `${this.#prefix}membership`;
  }

  /** Tells the others to look again now; a lost notice only delays them to their next heartbeat. */
  async #publish(): Promise<void> {
    await this.#redis.publish(this.#channel(), this.node).catch(() => 0);
  }

  #schedule(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A failed heartbeat is retried at the next period; the others see this node down only
      // after the ttl, which spans several periods.
      void this.heartbeat()
        .catch(() => this.#checkCutOff())
        .finally(() => this.#schedule());
    }, this.heartbeatEveryMs);
    this.#timer.unref();
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
