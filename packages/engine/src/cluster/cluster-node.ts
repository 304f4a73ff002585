import { hostname } from 'node:os';
import type { JsonObject } from '@leviathan/protocol';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { ClusterConfig } from '../config/engine-config.js';
import type { Logger } from '../logging/logger.js';
import type { Store, ZoneFence } from '../store/store.js';
import type { EntityKind } from '../store/write-behind-types.js';
import { ClusterLogins } from './cluster-logins.js';
import { createClusterMetrics } from './cluster-metrics.js';
import { type BusMessage, NodeBus } from './node-bus.js';
import { openRedis } from './redis-client.js';
import { ZoneCoordinator, type ZoneHandlers } from './zone-coordinator.js';
import { ZoneDirectory } from './zone-directory.js';

export interface ClusterNodeOptions {
  readonly config: ClusterConfig & { readonly redisUrl: string };
  /** Every zone of the world. */
  readonly zones: readonly string[];
  /** The store every node of the cluster shares (fencing tokens are claimed in it). */
  readonly store: Pick<Store, 'zoneFence' | 'claimZoneFence'>;
  /** What the node does as zones come and go, given the node's name and its zone directory. */
  readonly handlers: (node: { readonly name: string; readonly directory: ZoneDirectory }) => ZoneHandlers;
  /** Messages from other nodes (their players' input, their shards' output). */
  readonly onBusMessage: (message: BusMessage) => void;
  /** The bus is open and the directory ready: called before the node takes any zone. */
  readonly onOpen: (bus: NodeBus, directory: ZoneDirectory, logins: ClusterLogins) => void;
  /** The nodes up changed (a node joined, left or died). */
  readonly onNodesChange: (nodes: ReadonlySet<string>) => void;
  /** Where players connect to this node (host:port). */
  readonly address: string;
  /** Main's registry, for leviathan_cluster_* metrics. */
  readonly registry: Registry;
  readonly log: Logger;
}

/** A node's name in the cluster: `cluster.node`, else the host name. */
export function nodeNameOf(config: Pick<ClusterConfig, 'node'>): string {
  return config.node ?? hostname();
}

/**
 * A node's membership of a cluster: its Redis connection and the zone coordinator that keeps its
 * zones (joins, leases, handovers), and the fence each of its saves carries. Created by the server
 * when `cluster.redisUrl` is set.
 */
export class ClusterNode {
  readonly name: string;
  readonly coordinator: ZoneCoordinator;
  readonly directory: ZoneDirectory;
  readonly bus: NodeBus;
  readonly #redis: Redis;

  private constructor(redis: Redis, coordinator: ZoneCoordinator, directory: ZoneDirectory, bus: NodeBus) {
    this.#redis = redis;
    this.coordinator = coordinator;
    this.directory = directory;
    this.bus = bus;
    this.name = coordinator.name;
  }

  /** Connects to Redis and joins the cluster; resolves once the zones free now are this node's. */
  static async start(options: ClusterNodeOptions): Promise<ClusterNode> {
    const { config } = options;
    const redis = await openRedis({ url: config.redisUrl });
    const name = nodeNameOf(config);
    const metrics = createClusterMetrics(options.registry);
    const directory = new ZoneDirectory(redis, config.name);
    let bus: NodeBus;
    try {
      bus = await NodeBus.open({
        redis,
        cluster: config.name,
        node: name,
        onMessage: options.onBusMessage,
        onError: (err) => options.log.warn({ err }, 'a message between nodes was lost'),
        metrics,
      });
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    options.onOpen(bus, directory, new ClusterLogins(redis, config.name, name));
    const coordinator = new ZoneCoordinator({
      redis,
      cluster: config.name,
      name,
      info: { address: options.address, startedAt: new Date().toISOString() },
      zones: options.zones,
      fences: options.store,
      handlers: options.handlers({ name, directory }),
      ttlMs: config.leaseTtlMs,
      metrics,
      onNodesChange: (nodes) => options.onNodesChange(new Set(nodes)),
      onCutOff: () =>
        options.log.error(
          { ttlMs: config.leaseTtlMs },
          "cut off from the cluster's Redis for a whole lease: the other nodes run this node's zones now; its players in other nodes' zones are disconnected, and it rejoins once Redis answers",
        ),
      onZoneError: (zone, err) =>
        options.log.error(
          { err, zone },
          `zone ${zone} could not be loaded; its lease is given back and retried`,
        ),
    });
    const node = new ClusterNode(redis, coordinator, directory, bus);
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

  /**
   * Hands every zone to the other nodes (a drain before a stop). The node stays up, holding its
   * players' names, until `stop`.
   */
  async drain(): Promise<void> {
    await this.coordinator.drain();
  }

  /** Stops coordinating and closes Redis; leases still held are released. */
  async stop(): Promise<void> {
    await this.coordinator.stop().catch(() => {});
    this.bus.close();
    this.#redis.disconnect();
  }
}
