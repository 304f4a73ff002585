import type { EventEmitter } from 'node:events';
import type { JsonValue } from '@leviathan/protocol';
import { isAccountRegistrar } from '../auth/accounts/accounts-verifier.js';
import type { AuthVerifier } from '../auth/auth-verifier.js';
import type { EngineConfig } from '../config/engine-config.js';
import type { GameDefinition } from '../game/game-definition.js';
import type { Heartbeat } from '../ipc/heartbeat.js';
import { STRANDED_REASON, ZONE_MOVED_CODE } from '../ipc/zone-moved.js';
import type { Logger } from '../logging/logger.js';
import type { ThreadMetrics } from '../metrics/thread-metrics.js';
import type { SessionTable } from '../sessions/session-table.js';
import { ShardSupervisor } from '../supervisor/shard-supervisor.js';
import type { StateCache } from '../supervisor/state-cache.js';
import { ClusterLinks } from './cluster-links.js';
import { gatewayHandlers } from './gateway-handlers.js';
import { GatewayPool } from './gateway-pool.js';
import type { GatewayTransport } from './gateway-transport.js';
import type { LoginRegistry } from './login-registry.js';
import { LoginService } from './login-service.js';
import type { PersistenceHooks } from './persistence-hooks.js';
import { StateRelay } from './state-relay.js';
import type { ZoneTable } from './zone-table.js';

export interface ServerThreadsOptions {
  readonly config: EngineConfig;
  /** The game, loaded on main for its zones, logins and services. */
  readonly game: GameDefinition;
  /** The game module's URL, which every shard imports. */
  readonly gameModule: string;
  /** Which shard of this node runs each zone. */
  readonly zones: ZoneTable;
  /** Whether this node is one of a cluster (config `cluster.redisUrl`). */
  readonly clustered: boolean;
  readonly transport: GatewayTransport;
  readonly heartbeat: Heartbeat;
  /** Main's metrics, where each shard's liveness and restarts are counted. */
  readonly metrics: ThreadMetrics;
  readonly cache: StateCache;
  readonly loginRegistry: LoginRegistry;
  readonly sessions: SessionTable;
  readonly persistence: PersistenceHooks;
  /** Verifies logins on main when set (given in code, or the store's accounts). */
  readonly verifier: AuthVerifier | undefined;
  readonly log: Logger;
  /** The server's events, which the threads' events are relayed to. */
  readonly events: EventEmitter;
  /** A shard asked for a shutdown (the game's ctx.requestShutdown). */
  readonly requestShutdown: (shard: number, reason: string) => void;
  /** The whole server's `/metrics` text, which a gateway serves. */
  readonly metricsText: () => Promise<string>;
  /** The dashboard's latest snapshot as JSON, which a gateway serves. */
  readonly dashboardSnapshot: () => Promise<string>;
}

/** The server's threads and what main keeps for them. */
export interface ServerThreads {
  readonly supervisor: ShardSupervisor;
  readonly gateways: GatewayPool;
  readonly relay: StateRelay;
  readonly logins: LoginService;
  /** On a cluster node: its links to the other nodes' players and zones. */
  readonly links: ClusterLinks | undefined;
}

/**
 * Creates the shard supervisor and the gateway pool, wired to each other through main: the
 * shards' state batches go to the state relay, the gateways' logins to the login service, and
 * each thread's events are relayed to the other side (a restarted shard is wired to every gateway
 * again, a restarted gateway adopts its orphaned players) and to the server's events. Nothing
 * starts here: the server starts the supervisor, then the gateways.
 */
export function createServerThreads(options: ServerThreadsOptions): ServerThreads {
  const { config, game, zones, transport, heartbeat, metrics, log, events, verifier } = options;
  const relay = new StateRelay(options.cache, options.loginRegistry, options.persistence, zones, log);
  let gateways: GatewayPool | undefined;
  const supervisor = new ShardSupervisor({
    count: config.shards,
    gateways: transport.threads,
    tickHz: config.tickHz,
    game: options.gameModule,
    gameOptions: config.gameOptions as JsonValue,
    zoneMap: (): Record<string, number> => ({ ...links?.remoteRoutes(), ...zones.toRecord() }),
    logLevel: config.log.level,
    jobs: {
      maxThreads: config.jobs.maxThreads,
      maxQueue: config.jobs.maxQueue,
      idleTimeoutMs: config.jobs.idleTimeoutMs,
    },
    heartbeat,
    log,
    restoreState: (shard) => relay.restoreState(shard),
    initialWorld: (shard) => options.cache.worldOf(relay.zonesOf(shard)),
    directory: () => [...relay.directory.values(), ...(links?.directory.records() ?? [])],
    events: {
      up: (shard, restarted) => {
        metrics.shardUp.set({ shard: String(shard) }, 1);
        if (!restarted) return;
        metrics.shardRestarts.inc({ shard: String(shard) });
        gateways?.connectShard(shard, true);
        log.warn({ shard }, 'shard restarted; its players are re-attached');
        events.emit('shard-restart', shard);
      },
      down: (shard, err) => {
        metrics.shardUp.set({ shard: String(shard) }, 0);
        gateways?.shardDown(shard);
        relay.shardDown(shard);
        links?.gateways.shardDown(shard);
        events.emit('shard-down', shard, err);
      },
      gaveUp: (shard, err) => {
        metrics.shardUp.set({ shard: String(shard) }, 0);
        events.emit('shard-gave-up', shard, err);
      },
      state: (shard, batch) => relay.onState(shard, batch),
      shutdownRequest: (shard, reason) => options.requestShutdown(shard, reason),
    },
  });
  relay.attach(supervisor);
  const links: ClusterLinks | undefined = options.clustered
    ? clusterLinks(
        options,
        relay,
        supervisor,
        () => gateways!,
        () => logins,
      )
    : undefined;
  if (links !== undefined) {
    relay.onBatch = (batch) => links.stateBatch(batch);
    // A restarted shard takes them back from main's cache, as it does its node's own players.
    relay.remotePlayers = () => links.gateways.names();
    relay.remoteDirectory = () => links.directory.records();
    relay.remote = {
      isRemote: (shard) => links.shards.isRemote(shard),
      handOff: (shard, players) => links.handoffs.handOff(shard, players),
      forward: (shard, gateway, ops) => links.handoffs.forward(shard, gateway, ops),
    };
  }
  const logins = new LoginService({
    config,
    logins: options.loginRegistry,
    sessions: options.sessions,
    cache: options.cache,
    persistence: options.persistence,
    game,
    zones,
    clustered: options.clustered,
    kick: (username, code, reason) => gateways?.kick(username, code, reason),
    detach: (gateway, arg, timeoutMs) =>
      gateways?.detach(gateway, arg, timeoutMs) ?? Promise.resolve({ ok: false }),
    whenUp: (gateway, timeoutMs) => gateways?.whenUp(gateway, timeoutMs) ?? Promise.resolve(false),
    shardOf: (username) => relay.directory.get(username)?.shard,
    remoteShardOf: links === undefined ? undefined : (zone) => links.locate(zone),
    cluster: links,
  });
  if (links !== undefined) {
    // A name free on this node is free in the cluster once the player's last state is saved (the
    // next node to take the name loads it from the store), unless this node took it again since.
    const freed = options.loginRegistry.onRelease;
    options.loginRegistry.onRelease = (username) => {
      freed?.(username);
      void Promise.resolve(options.persistence.settlePlayer?.(username))
        .catch(() => undefined)
        .then(() => {
          if (!options.loginRegistry.has(username)) links.releaseLogin(username);
        });
    };
  }
  gateways = new GatewayPool({
    config,
    shardCount: () => config.shards + (links?.shards.count ?? 0),
    threads: transport.threads,
    transport: transport.kind,
    sharePort: transport.sharePort,
    heartbeat,
    log,
    verifyInMain: verifier !== undefined,
    registrations: verifier !== undefined && isAccountRegistrar(verifier),
    attachToShard: (shard, gateway, port, ring) => {
      if (links?.shards.isRemote(shard)) return links.shards.attach(shard, gateway, port, ring);
      if (!supervisor.isUp(shard)) return false;
      supervisor.notify(shard, 'attachGateway', { gateway, port, ring }, [port]);
      return true;
    },
    firstConn: (gateway) => options.sessions.firstConn(gateway),
    handlers: (gateway) =>
      gatewayHandlers({
        gateway,
        logins,
        verifier,
        log,
        metricsText: options.metricsText,
        dashboardSnapshot: options.dashboardSnapshot,
      }),
    events: {
      down: (gateway, err) => events.emit('gateway-down', gateway, err),
      restarted: (gateway) => {
        gateways?.adopt(gateway, logins.orphansOf(gateway));
        events.emit('gateway-restart', gateway);
      },
    },
  });
  return { supervisor, gateways, relay, logins, links };
}

/** A cluster node's links to the other nodes, wired to this node's shards, gateways and store. */
function clusterLinks(
  options: ServerThreadsOptions,
  relay: StateRelay,
  supervisor: ShardSupervisor,
  gateways: () => GatewayPool,
  logins: () => LoginService,
): ClusterLinks {
  const { config, persistence, log } = options;
  return new ClusterLinks({
    config,
    gatewayThreads: options.transport.threads,
    zones: options.zones,
    gateways,
    directory: relay.directory,
    shards: {
      attachGateway: (shard, arg, transfer) => {
        if (!supervisor.isUp(shard)) return false;
        supervisor.notify(shard, 'attachGateway', arg, transfer);
        return true;
      },
      adopt: (shard, players) => supervisor.notify(shard, 'adopt', players),
      directory: (upsert, remove) => {
        for (let s = 0; s < supervisor.count; s++) supervisor.notify(s, 'directory', { upsert, remove });
      },
      forward: (shard, gateway, ops) => supervisor.notify(shard, 'forward', { gateway, ops }),
      shardMessages: (messages) => relay.relayMessages(-1, messages),
      route: (change) => {
        for (let s = 0; s < supervisor.count; s++) void supervisor.changeZones(s, change, 5_000);
      },
    },
    persistence: {
      settlePlayer: async (username) => persistence.settlePlayer?.(username),
      trackPlayer: (username, version) => persistence.trackPlayer?.(username, version),
    },
    stranded: (player) => {
      // Its last state is saved as a logout's, and the player logs in again where its zone runs.
      const snapshot = {
        username: player.username,
        version: player.version,
        data: { zone: player.zone, room: player.room, state: player.state },
      };
      options.cache.putPlayer(snapshot);
      persistence.onStateBatch?.({
        shard: -1,
        tick: 0,
        players: [snapshot],
        loggedOut: [player.username],
        world: [],
        upsert: [],
        remove: [],
        handoffs: [],
        forwards: [],
        messages: [],
      });
      gateways().kick(player.username, ZONE_MOVED_CODE, STRANDED_REASON);
      options.loginRegistry.release(player.username);
    },
    released: (username) => options.loginRegistry.release(username),
    kicked: (username) => logins().takenElsewhere(username),
    log,
  });
}
