import type { Registry } from 'prom-client';
import { ClusterNode } from '../cluster/cluster-node.js';
import type { EngineConfig } from '../config/engine-config.js';
import { ClusterConfigError } from '../errors.js';
import type { GameDefinition } from '../game/game-definition.js';
import type { Logger } from '../logging/logger.js';
import { StorePersistence } from '../store/store-persistence.js';
import type { ShardSupervisor } from '../supervisor/shard-supervisor.js';
import type { StateCache } from '../supervisor/state-cache.js';
import type { ClusterLinks } from './cluster-links.js';
import type { PersistenceHooks } from './persistence-hooks.js';
import { ZoneHost } from './zone-host.js';
import type { ZoneTable } from './zone-table.js';

export interface JoinClusterOptions {
  readonly config: EngineConfig;
  readonly game: GameDefinition;
  readonly zones: ZoneTable;
  readonly supervisor: ShardSupervisor;
  readonly cache: StateCache;
  readonly persistence: PersistenceHooks;
  readonly registry: Registry;
  readonly log: Logger;
  /** The port the gateways listen on (for the address the other nodes see). */
  readonly port: number;
  /** The links to the other nodes' players and zones, created with the threads. */
  readonly links: ClusterLinks;
}

/**
 * Joins the cluster of `cluster.redisUrl` once the node's threads run: the zone coordinator takes
 * this node's share of the world's zones and the zone host loads each into a shard. Resolves once
 * the zones free now run here; the rest come as their previous owners give them up.
 */
export async function joinCluster(options: JoinClusterOptions): Promise<ClusterNode> {
  const { config, persistence, log } = options;
  const redisUrl = config.cluster.redisUrl;
  const store = persistence instanceof StorePersistence ? persistence.store : undefined;
  if (redisUrl === undefined || store === undefined) {
    throw new ClusterConfigError(
      'a cluster node needs cluster.redisUrl and the configured store (store.kind postgres), not persistence hooks given in code',
    );
  }
  const { links } = options;
  const node = await ClusterNode.start({
    config: { ...config.cluster, redisUrl },
    zones: options.game.zones.map((z) => z.id),
    store,
    handlers: ({ name, directory }) =>
      new ZoneHost({
        node: name,
        directory,
        zones: options.zones,
        supervisor: options.supervisor,
        cache: options.cache,
        persistence,
        zoneShards: config.zoneShards,
        log,
      }),
    onOpen: (bus, directory, logins) =>
      links.connect((to, message) => bus.send(to, message), directory, logins),
    onBusMessage: (message) => links.receive(message),
    onNodesChange: (nodes) => links.nodesChanged(nodes),
    address: `${config.host}:${options.port}`,
    registry: options.registry,
    log,
  });
  log.info(
    { cluster: config.cluster.name, node: node.name, zones: [...options.zones.zones()] },
    `joined cluster ${config.cluster.name} as ${node.name}`,
  );
  return node;
}
