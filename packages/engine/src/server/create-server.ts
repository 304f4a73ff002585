import { EventEmitter } from 'node:events';
import { resolve as resolvePath } from 'node:path';
import type { JsonValue } from '@leviathan/protocol';
import { Registry } from 'prom-client';
import type { AuthVerifier } from '../auth/auth-verifier.js';
import type { ClusterNode } from '../cluster/cluster-node.js';
import { type EngineConfig, resolveConfig } from '../config/engine-config.js';
import type { DashboardSampler } from '../dashboard/dashboard-sampler.js';
import { ListenError, ServerStateError, ShutdownTimeoutError } from '../errors.js';
import type { RunningService } from '../game/service.js';
import { EVENT_LOOP_RESOLUTION_MS } from '../ipc/event-loop-sampling.js';
import { Heartbeat } from '../ipc/heartbeat.js';
import { buildZoneMap } from '../ipc/zone-map.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { createThreadMetrics, type ThreadMetrics } from '../metrics/thread-metrics.js';
import { SessionTable } from '../sessions/session-table.js';
import { loadGame, resolveGameModule } from '../shard/load-game.js';
import { StorePersistence } from '../store/store-persistence.js';
import { StateCache } from '../supervisor/state-cache.js';
import { joinCluster } from './cluster-wiring.js';
import { noDashboard, startDashboard } from './dashboard-wiring.js';
import { assertPortFree } from './free-port.js';
import { GameServices } from './game-services.js';
import { chooseGatewayTransport } from './gateway-transport.js';
import { LoginRegistry } from './login-registry.js';
import type { PersistenceHooks } from './persistence-hooks.js';
import { scrapeThreads } from './scrape-threads.js';
import type { CreateServerOptions, LeviathanServer, ServerEvent } from './server-options.js';
import { createServerThreads, type ServerThreads } from './server-threads.js';
import { type ShutdownParts, shutDown, stopEverything } from './shutdown.js';
import { ShutdownSignals } from './shutdown-signals.js';
import { applyV8Flags } from './v8-flags.js';
import { ZoneTable } from './zone-table.js';

export type { CreateServerOptions, LeviathanServer, ServerEvent } from './server-options.js';

/**
 * Creates a server: `await createServer({ game: './my-game.js', auth: { mode: 'dev' } }).listen()`.
 * Options are an EngineConfig input (validated by `resolveConfig`) plus code-only hooks.
 */
export function createServer(options: CreateServerOptions = {}): LeviathanServer {
  return new Server(options);
}

/** How often /readyz's store flag is refreshed from the store's health, in ms. @default 500 */
const STORE_HEALTH_POLL_MS = 500;

/** The running parts, created by listen(). */
interface Parts extends ServerThreads {
  readonly heartbeat: Heartbeat;
  readonly metrics: ThreadMetrics;
}

/**
 * The server on the main thread: it starts the shard supervisor and the gateway pool, wired
 * together by server-threads.ts (the shards' state relayed by state-relay.ts, the gateways'
 * logins answered by login-service.ts), and the game's services; it aggregates metrics, and
 * shuts everything down within the deadline.
 */
class Server implements LeviathanServer {
  readonly config: EngineConfig;
  readonly events = new EventEmitter();
  readonly #log: Logger;
  readonly #verifier: AuthVerifier | undefined;
  readonly #persistence: PersistenceHooks;
  readonly #registry = new Registry();
  readonly #cache = new StateCache();
  readonly #loginRegistry = new LoginRegistry();
  readonly #sessions: SessionTable;
  readonly #services: GameServices;
  readonly #signals: ShutdownSignals;
  #parts: Parts | undefined;
  #port = 0;
  #state: 'new' | 'starting' | 'listening' | 'closing' | 'closed' = 'new';
  #closing: Promise<void> | undefined;
  #storeHealth: NodeJS.Timeout | undefined;
  #dashboard: DashboardSampler | undefined;
  #cluster: ClusterNode | undefined;
  /** Whether the store is the configured one (`store.*`), not persistence hooks given in code. */
  readonly #configuredStore: boolean;

  constructor(options: CreateServerOptions) {
    const { verifier, persistence, logger, handleSignals, ...input } = options;
    if (verifier !== undefined && input.auth?.mode === undefined)
      input.auth = { ...input.auth, mode: 'custom' };
    this.config = resolveConfig(input);
    this.#sessions = new SessionTable(this.config.sessions.graceMs > 0);
    this.#loginRegistry.onRelease = (username) => this.#sessions.remove(username);
    this.#log =
      logger ??
      createLogger({
        level: this.config.log.level,
        pretty: this.config.log.pretty,
        bindings: { thread: 'main' },
      });
    // Hooks given in code win; else the configured store, the embedded one under `store.dataDir`
    // by default (a bare createServer() persists, as `leviathan serve` does); `store: { kind:
    // 'none' }` keeps everything in memory.
    const stored =
      persistence ??
      (this.config.store.kind === 'none'
        ? undefined
        : new StorePersistence({
            store: { ...this.config.store, kind: this.config.store.kind },
            flushIntervalMs: this.config.flushIntervalMs,
            // A cluster node's saves carry the lease of their zone: the store refuses them once
            // another node holds a newer one.
            ...(this.config.cluster.redisUrl === undefined
              ? {}
              : { writeBehind: { fenceOf: (kind, key, data) => this.#cluster?.fenceOf(kind, key, data) } }),
          }));
    this.#persistence = stored ?? {};
    this.#configuredStore = persistence === undefined;
    // Accounts mode: logins are checked against the store's accounts, on the main thread.
    this.#verifier =
      verifier ??
      (this.config.auth.mode === 'accounts' && stored instanceof StorePersistence
        ? stored.verifier()
        : undefined);
    this.#services = new GameServices(this.#log);
    this.#signals = new ShutdownSignals(
      this.#log,
      { close: () => this.close(), drain: () => this.drain() },
      handleSignals ?? false,
    );
  }

  get port(): number {
    return this.#port;
  }

  get services(): ReadonlyMap<string, RunningService> {
    return this.#services.running;
  }

  on(event: ServerEvent, listener: (...args: unknown[]) => void): this {
    this.events.on(event, listener);
    return this;
  }

  async listen(): Promise<{ port: number }> {
    if (this.#state !== 'new')
      throw new ServerStateError(`listen() called on a server that is ${this.#state}`);
    this.#state = 'starting';
    try {
      await this.#start();
    } catch (err) {
      this.#log.error({ err }, 'server failed to start');
      if (this.#storeHealth !== undefined) clearInterval(this.#storeHealth);
      await stopEverything(this.#shutdownParts(), 2_000).catch(() => {});
      this.#parts?.links?.close();
      this.#loginRegistry.clear();
      this.#sessions.clear();
      this.#state = 'closed';
      throw err;
    }
    this.#state = 'listening';
    // Starting the threads is not a stalled loop: lag is measured from here.
    this.#parts?.metrics.restartLoopDelays();
    this.#signals.install();
    this.events.emit('listening', this.#port);
    this.events.emit('ready', this.#port);
    return { port: this.#port };
  }

  async #start(): Promise<void> {
    const config = this.config;
    applyV8Flags(config);
    const metrics = createThreadMetrics(this.#registry, {
      thread: 'main',
      eventLoopResolutionMs: EVENT_LOOP_RESOLUTION_MS,
    });
    if (config.port !== 0) {
      await assertPortFree(config.host, config.port).catch((err: unknown) => {
        throw new ListenError(config.host, config.port, { cause: err });
      });
    }
    const transport = chooseGatewayTransport(config, this.#log);
    // Resolved once here, from the working directory; the shards import the same file URL.
    const gameModule = resolveGameModule(config.game);
    const game = await loadGame(gameModule, config.gameOptions as JsonValue);
    const zoneMap = buildZoneMap(
      game.zones.map((z) => z.id),
      config.shards,
      config.zoneShards,
    );
    // A cluster node starts with no zone: each comes with its lease (cluster-wiring.ts).
    const clustered = config.cluster.redisUrl !== undefined;
    const zones = new ZoneTable(clustered ? {} : zoneMap);
    const heartbeat = Heartbeat.create(config.shards);
    for (let s = 0; s < config.shards; s++) metrics.shardUp.set({ shard: String(s) }, 0);
    metrics.tickPeriod.set(1 / config.tickHz);
    if (config.auth.mode === 'dev') {
      this.#log.warn(
        { auth: 'dev' },
        'development auth mode is ON: any username with the token "test-token" is accepted. Never use it in production.',
      );
    }
    this.#log.info(
      {
        game: game.name,
        shards: config.shards,
        gatewayThreads: transport.threads,
        transport: transport.kind,
        tickHz: config.tickHz,
        zones: clustered ? `placed by the cluster (${config.cluster.name})` : zoneMap,
      },
      'starting',
    );

    if (this.#configuredStore) {
      // Said before the files are created: a bare createServer() persists under the working
      // directory, which an embedding application may not expect.
      const dataDir = config.store.kind === 'embedded' ? resolvePath(config.store.dataDir) : undefined;
      this.#log.info(
        { store: config.store.kind, ...(dataDir !== undefined ? { dataDir } : {}) },
        dataDir !== undefined
          ? `embedded store in ${dataDir} (store.dataDir)`
          : `store: ${config.store.kind}${config.store.kind === 'none' ? ' (nothing persists)' : ''}`,
      );
    }
    await this.#persistence.open?.({ registry: this.#registry, logger: this.#log });
    // A cluster node reads each zone's records when it gains the zone: they change on other nodes.
    if (!clustered) this.#cache.putWorld((await this.#persistence.loadWorld?.()) ?? []);
    heartbeat.setStoreReady(true);
    // /readyz follows the store's health (an outage, a full backlog), polled: cheap and off the
    // hot path. The gateways read the flag from the shared heartbeat.
    const ready = this.#persistence.ready?.bind(this.#persistence);
    if (ready !== undefined) {
      this.#storeHealth = setInterval(() => {
        if (this.#state === 'listening') heartbeat.setStoreReady(ready());
      }, STORE_HEALTH_POLL_MS);
      this.#storeHealth.unref();
    }

    const threads = createServerThreads({
      config,
      game,
      gameModule,
      zones,
      clustered,
      transport,
      heartbeat,
      metrics,
      cache: this.#cache,
      loginRegistry: this.#loginRegistry,
      sessions: this.#sessions,
      persistence: this.#persistence,
      verifier: this.#verifier,
      log: this.#log,
      events: this.events,
      requestShutdown: (shard, reason) => this.#shutdownRequested(shard, reason),
      metricsText: () => this.metrics(),
      dashboardSnapshot: () => this.#dashboard?.json() ?? noDashboard(),
    });
    this.#parts = { heartbeat, metrics, ...threads };
    await threads.supervisor.start();
    const first = await threads.gateways.start();
    this.#port = first.port;
    // Wire every gateway to every shard (direct ports: no relay through main).
    for (let s = 0; s < config.shards; s++) threads.gateways.connectShard(s, false);
    this.#log.info(
      {
        port: this.#port,
        host: config.host,
        tls: config.tls.keyFile !== undefined,
        transport: first.transport,
        gatewayThreads: transport.threads,
      },
      `listening on ${config.host}:${this.#port} (transport: ${first.transport === 'uws' ? 'uws, native uWebSockets.js' : 'node, http + ws'})`,
    );
    if (clustered && threads.links !== undefined) {
      this.#cluster = await joinCluster({
        links: threads.links,
        config,
        game,
        zones,
        supervisor: threads.supervisor,
        cache: this.#cache,
        persistence: this.#persistence,
        registry: this.#registry,
        log: this.#log,
        port: this.#port,
      });
    }
    await this.#services.start(game.services ?? [], config, this.#port);
    this.#dashboard = startDashboard(config, this.#port, () => this.metrics(), this.#log);
  }

  // ─── Metrics ───────────────────────────────────────────────────────────────────────────────

  async metrics(): Promise<string> {
    const parts = this.#parts;
    if (parts === undefined) return '';
    return scrapeThreads({ registry: this.#registry, ...parts });
  }

  async killShard(shard: number): Promise<void> {
    await this.#parts?.supervisor.kill(shard);
  }

  async killGateway(gateway: number): Promise<void> {
    await this.#parts?.gateways.kill(gateway);
  }

  // ─── Shutdown ──────────────────────────────────────────────────────────────────────────────

  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    if (this.#state === 'new') {
      this.#state = 'closed';
      return Promise.resolve();
    }
    this.#closing = this.#close();
    return this.#closing;
  }

  /**
   * Drains a cluster node before it stops (`leviathan drain`, SIGUSR2): from now on it takes no
   * login (clients go to another node), and it hands each of its zones to the other nodes, saved
   * first (their players connected to other nodes are carried to the node now running it, without
   * a reconnect); then it closes as on SIGTERM: its own players get `bye` 1001, are saved where
   * their zones run, and resume on another node with their token. A server that is not in a cluster
   * has nowhere to move to: its drain is a close.
   */
  drain(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    const cluster = this.#cluster;
    if (cluster === undefined || this.#state !== 'listening') return this.close();
    this.#closing = this.#drainThenClose(cluster);
    return this.#closing;
  }

  async #drainThenClose(cluster: ClusterNode): Promise<void> {
    const started = performance.now();
    if (this.#parts !== undefined) this.#parts.logins.open = false;
    // Readiness fails from here, so a load balancer sends new players to the other nodes.
    this.#parts?.heartbeat.setShuttingDown();
    const zones = cluster.coordinator.heldZones().length;
    this.#log.info({ zones }, `draining: handing ${zones} zones to the other nodes`);
    this.events.emit('draining');
    try {
      await cluster.drain();
      this.#log.info(
        { zones, ms: Math.round(performance.now() - started) },
        `drained ${zones} zones in ${Math.round(performance.now() - started)} ms; closing`,
      );
    } catch (err) {
      // Redis or the store down: what was not handed over is taken by the others when its lease
      // runs out, from its last saved state.
      this.#log.error({ err }, 'the drain could not hand every zone over; closing anyway');
    }
    await this.#close();
  }

  async #close(): Promise<void> {
    this.#state = 'closing';
    this.events.emit('closing');
    this.#parts?.heartbeat.setShuttingDown();
    if (this.#parts !== undefined) this.#parts.logins.open = false;
    if (this.#storeHealth !== undefined) clearInterval(this.#storeHealth);
    this.#dashboard?.stop();
    const deadline = this.config.shutdownDeadlineMs;
    const graceful = await shutDown(this.#shutdownParts(), deadline);
    this.#parts?.links?.close();
    this.#loginRegistry.clear();
    this.#sessions.clear();
    this.#signals.remove();
    this.#parts?.metrics.close();
    this.#state = 'closed';
    this.events.emit('closed');
    if (!graceful) {
      const err = new ShutdownTimeoutError(deadline);
      this.#log.error({ err }, 'graceful shutdown passed its deadline; threads terminated');
      throw err;
    }
    this.#log.info('stopped');
  }

  #shutdownParts(): ShutdownParts {
    const parts = this.#parts;
    return {
      log: this.#log,
      services: this.#services,
      persistence: this.#persistence,
      cluster: this.#cluster,
      names: this.#loginRegistry,
      ...(parts === undefined
        ? {}
        : { threads: { gateways: parts.gateways, supervisor: parts.supervisor, relay: parts.relay } }),
    };
  }

  /**
   * The game asked to stop (ctx.requestShutdown): the same graceful close as SIGTERM. With
   * handleSignals (the CLI, `pnpm start`) the process then exits as it does on a signal; an
   * embedding application is told through `shutdown-requested`, `closing` and `closed`.
   */
  #shutdownRequested(shard: number, reason: string): void {
    if (this.#state !== 'listening') return;
    this.#log.warn({ shard, reason }, 'the game requested a shutdown');
    this.events.emit('shutdown-requested', reason);
    this.#signals.closeAndExit();
  }
}
