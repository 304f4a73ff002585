import { hostname } from 'node:os';
import type { JsonObject } from '@leviathan/protocol';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { ClusterConfig } from '../config/engine-config.js';
import type { Logger } from '../logging/logger.js';
import type { Store, ZoneFence } from '../store/store.js';
import type { EntityKind } from '../store/write-behind-types.js';
import { createClusterMetrics } from './cluster-metrics.js';
import { openRedis } from './redis-client.js';
import { ZoneCoordinator, type ZoneHandlers } from './zone-coordinator.js';

export interface ClusterNodeOptions {
  readonly config: ClusterConfig & { readonly redisUrl: string };
  /** Every zone of the world. */
  readonly zones: readonly string[];
  /** The store every node of the cluster shares (fencing tokens are claimed in it). */
  readonly store: Pick<Store, 'zoneFence' | 'claimZoneFence'>;
  readonly handlers: ZoneHandlers;
  /** Where players connect to this node (host:port). */
  readonly address: string;
  /** Main's registry, for leviathan_cluster_* metrics. */
  readonly registry: Registry;
  readonly log: Logger;
}

/**
 * A node's membership of a cluster: its Redis connection and the zone coordinator that keeps its
 * zones (joins, leases, handovers), and the fence each of its saves carries. Created by the server
 * when `cluster.redisUrl` is set.
 */
export class ClusterNode {
  readonly name: string;
  readonly coordinator: ZoneCoordinator;
  readonly #redis: Redis;

  private constructor(redis: Redis, coordinator: ZoneCoordinator) {
    this.#redis = redis;
    this.coordinator = coordinator;
    this.name = coordinator.name;
  }

  /** Connects to Redis and joins the cluster; resolves once the zones free now are this node's. */
  static async start(options: ClusterNodeOptions): Promise<ClusterNode> {
    const { config } = options;
    const redis = await openRedis({ url: config.redisUrl });
    const coordinator = new ZoneCoordinator({
      redis,
      cluster: config.name,
      name: config.node ?? hostname(),
      info: { address: options.address, startedAt: new Date().toISOString() },
      zones: options.zones,
      fences: options.store,
      handlers: options.handlers,
      ttlMs: config.leaseTtlMs,
      metrics: createClusterMetrics(options.registry),
      onZoneError: (zone, err) =>
        options.log.error(
          { err, zone },
          `zone ${zone} could not be loaded; its lease is given back and retried`,
        ),
    });
    const node = new ClusterNode(redis, coordinator);
    try {
      await coordinator.start();
    } catch (error) {
      await node.stop();
      throw error;
    }
    return node;
  }

  /**
   * The lease a save was made under: a world record's zone is its key's first part, a player's is
   * where the player is. Undefined for zones this node never held (nothing to fence).
   */
  fenceOf(kind: EntityKind, key: string, data: JsonObject): ZoneFence | undefined {
    const zone = kind === 'world' ? key.slice(0, key.indexOf('/')) : data.zone;
    return typeof zone === 'string' ? this.coordinator.keeper.fenceFor(zone) : undefined;
  }

  /** Hands every zone to the other nodes and leaves the cluster (a drain before a stop). */
  async drain(): Promise<void> {
    await this.coordinator.drain();
  }

  /** Stops coordinating and closes Redis; leases still held are released. */
  async stop(): Promise<void> {
    await this.coordinator.stop().catch(() => {});
    this.#redis.disconnect();
  }
}
