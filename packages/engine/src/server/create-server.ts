import { EventEmitter } from 'node:events';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { CloseCode, ErrorCode, type JsonValue } from '@leviathan/protocol';
import { Registry } from 'prom-client';
import { isAccountRegistrar, registerSafely } from '../auth/accounts/accounts-verifier.js';
import type { AuthVerifier } from '../auth/auth-verifier.js';
import { verifySafely } from '../auth/create-auth-verifier.js';
import { type EngineConfig, type EngineConfigInput, resolveConfig } from '../config/engine-config.js';
import {
  ListenError,
  ServerStateError,
  ShutdownTimeoutError,
  UwsFallbackError,
  WorkerStartError,
} from '../errors.js';
import type { GameDefinition } from '../game/game-definition.js';
import type { StateBatch, WorldRecord } from '../ipc/batches.js';
import type { GatewayToMain, GatewayWorkerData, LoadedPlayer, MainToGateway } from '../ipc/control.js';
import { engineFile } from '../ipc/engine-files.js';
import { EVENT_LOOP_RESOLUTION_MS } from '../ipc/event-loop-sampling.js';
import { Heartbeat } from '../ipc/heartbeat.js';
import { buildZoneMap } from '../ipc/zone-map.js';
import { createLogger, flushLogs, type Logger } from '../logging/logger.js';
import { forwardWorkerLogs, workerLogOptions } from '../logging/worker-logs.js';
import {
  aggregateMetrics,
  collectThreadMetrics,
  type ThreadMetricsSnapshot,
} from '../metrics/aggregate-metrics.js';
import { createThreadMetrics, type ThreadMetrics } from '../metrics/thread-metrics.js';
import { loadGame } from '../shard/load-game.js';
import { StorePersistence } from '../store/store-persistence.js';
import { ShardSupervisor } from '../supervisor/shard-supervisor.js';
import { StateCache } from '../supervisor/state-cache.js';
import { createTelnetServer, type TelnetServer } from '../telnet/telnet-server.js';
import { assertPortFree, freePort } from './free-port.js';
import { LoginRegistry } from './login-registry.js';
import type { PersistenceHooks } from './persistence-hooks.js';
import { spawnWorker } from './spawn-worker.js';

export interface CreateServerOptions extends EngineConfigInput {
  /** A verifier object (mode `custom`); logins are then verified on the main thread. */
  verifier?: AuthVerifier;
  /** The store's hooks (write-behind, loading). */
  persistence?: PersistenceHooks;
  /** A logger; by default one at `log.level` on stdout. */
  logger?: Logger;
  /** The telnet port's greeting (with `telnet.port`). @default 'Welcome to Leviathan.' */
  telnetBanner?: string;
  /**
   * Handle SIGTERM and SIGINT: shut down gracefully and exit the process (0, or 1 past the
   * deadline). Off when embedding; the CLI and `pnpm start` turn it on.
   * @default false
   */
  handleSignals?: boolean;
}

export type ServerEvent =
  | 'listening'
  | 'ready'
  | 'shard-down'
  | 'shard-restart'
  | 'shard-gave-up'
  | 'shutdown-requested'
  | 'closing'
  | 'closed';

export interface LeviathanServer {
  /** Starts every thread and listens; resolves with the port (useful with port 0). */
  listen(): Promise<{ port: number }>;
  /** Graceful shutdown: bye to every client, shards drained, state flushed, threads stopped. */
  close(): Promise<void>;
  /** The listening port (0 before listen). */
  readonly port: number;
  /** The telnet port, when `telnet.port` is set (after listen). */
  readonly telnetPort: number | undefined;
  readonly config: EngineConfig;
  /** `listening` (= `ready`), `shard-down`, `shard-restart`, `shard-gave-up`, `closing`, `closed`. */
  readonly events: EventEmitter;
  on(event: ServerEvent, listener: (...args: unknown[]) => void): LeviathanServer;
  /** Prometheus text of every thread, as `/metrics` serves it. */
  metrics(): Promise<string>;
  /** Kills a shard worker as a crash would (the supervisor restarts it). For tests and drills. */
  killShard(shard: number): Promise<void>;
}

/**
 * Creates a server: `await createServer({ game: 'demo', auth: { mode: 'dev' } }).listen()`.
 * Options are an EngineConfig input (validated by `resolveConfig`) plus code-only hooks.
 */
export function createServer(options: CreateServerOptions = {}): LeviathanServer {
  return new Server(options);
}

/** How often /readyz's store flag is refreshed from the store's health, in ms. @default 500 */
const STORE_HEALTH_POLL_MS = 500;

type LoginResult = LoadedPlayer | { ok: false; code: string; message: string };

class Server implements LeviathanServer {
  readonly config: EngineConfig;
  readonly events = new EventEmitter();
  readonly #log: Logger;
  readonly #verifier: AuthVerifier | undefined;
  readonly #persistence: PersistenceHooks;
  readonly #handleSignals: boolean;
  readonly #cache = new StateCache();
  readonly #logins = new LoginRegistry();
  readonly #directory = new Map<string, import('../ipc/batches.js').DirectoryRecord>();
  readonly #gateways: Worker[] = [];
  readonly #registry = new Registry();
  #metrics: ThreadMetrics | undefined;
  #game: GameDefinition | undefined;
  #zoneMap: Record<string, number> = {};
  #heartbeat: Heartbeat | undefined;
  #supervisor: ShardSupervisor | undefined;
  #port = 0;
  #state: 'new' | 'starting' | 'listening' | 'closing' | 'closed' = 'new';
  #closing: Promise<void> | undefined;
  #nextRequest = 1;
  readonly #pending = new Map<number, (data: unknown) => void>();
  #signalHandler: ((signal: NodeJS.Signals) => void) | undefined;
  #telnet: TelnetServer | undefined;
  #storeHealth: NodeJS.Timeout | undefined;
  readonly #telnetBanner: string | undefined;

  constructor(options: CreateServerOptions) {
    const { verifier, persistence, logger, handleSignals, telnetBanner, ...input } = options;
    this.#telnetBanner = telnetBanner;
    if (verifier !== undefined && input.auth?.mode === undefined)
      input.auth = { ...input.auth, mode: 'custom' };
    this.config = resolveConfig(input);
    this.#log =
      logger ??
      createLogger({
        level: this.config.log.level,
        pretty: this.config.log.pretty,
        bindings: { thread: 'main' },
      });
    // The store (issue 5): hooks given in code win; else the configured store, the embedded one
    // under `store.dataDir` by default (a bare createServer() persists, as `leviathan serve`
    // does); `store: { kind: 'none' }` keeps everything in memory.
    const stored =
      persistence ??
      (this.config.store.kind === 'none'
        ? undefined
        : new StorePersistence({
            store: { ...this.config.store, kind: this.config.store.kind },
            flushIntervalMs: this.config.flushIntervalMs,
          }));
    this.#persistence = stored ?? {};
    // Accounts mode: logins are checked against the store's accounts, on the main thread.
    this.#verifier =
      verifier ??
      (this.config.auth.mode === 'accounts' && stored instanceof StorePersistence
        ? stored.verifier()
        : undefined);
    this.#handleSignals = handleSignals ?? false;
  }

  get port(): number {
    return this.#port;
  }

  get telnetPort(): number | undefined {
    return this.#telnet?.port;
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
      await this.#teardown(2_000).catch(() => {});
      this.#state = 'closed';
      throw err;
    }
    this.#state = 'listening';
    if (this.#handleSignals) this.#installSignals();
    this.events.emit('listening', this.#port);
    this.events.emit('ready', this.#port);
    return { port: this.#port };
  }

  async #start(): Promise<void> {
    const config = this.config;
    this.#metrics = createThreadMetrics(this.#registry, {
      thread: 'main',
      eventLoopResolutionMs: EVENT_LOOP_RESOLUTION_MS,
    });
    if (config.port !== 0) {
      await assertPortFree(config.host, config.port).catch((err: unknown) => {
        throw new ListenError(config.host, config.port, { cause: err });
      });
    }
    const game = await loadGame(config.game, config.gameOptions as JsonValue);
    this.#game = game;
    this.#zoneMap = buildZoneMap(
      game.zones.map((z) => z.id),
      config.shards,
      config.zoneShards,
    );
    const heartbeat = Heartbeat.create(config.shards);
    this.#heartbeat = heartbeat;
    for (let s = 0; s < config.shards; s++) this.#metrics.shardUp.set({ shard: String(s) }, 0);
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
        gatewayThreads: config.gatewayThreads,
        tickHz: config.tickHz,
        zones: this.#zoneMap,
      },
      'starting',
    );

    await this.#persistence.open?.({ registry: this.#registry, logger: this.#log });
    const world = (await this.#persistence.loadWorld?.()) ?? [];
    this.#cache.putWorld(world);
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

    const supervisor = new ShardSupervisor({
      count: config.shards,
      gateways: config.gatewayThreads,
      tickHz: config.tickHz,
      game: config.game,
      gameOptions: config.gameOptions as JsonValue,
      zoneMap: this.#zoneMap,
      logLevel: config.log.level,
      jobs: {
        maxThreads: config.jobs.maxThreads,
        maxQueue: config.jobs.maxQueue,
        idleTimeoutMs: config.jobs.idleTimeoutMs,
      },
      heartbeat,
      log: this.#log,
      restoreState: (shard) => this.#restoreState(shard),
      initialWorld: (shard) => this.#cache.worldOf(this.#zonesOf(shard)),
      directory: () => [...this.#directory.values()],
    });
    this.#supervisor = supervisor;
    supervisor.on('message', (shard: number, msg: { k: string; batch?: StateBatch; reason?: string }) => {
      if (msg.k === 'state' && msg.batch !== undefined) this.#onState(shard, msg.batch);
      else if (msg.k === 'shutdown-request') this.#shutdownRequested(shard, String(msg.reason ?? ''));
    });
    supervisor.on('up', (shard: number, worker: Worker, restarted: boolean) =>
      this.#shardUp(shard, worker, restarted),
    );
    supervisor.on('down', (shard: number, err: Error) => this.#shardDown(shard, err));
    supervisor.on('gave-up', (shard: number, err: Error) => {
      this.#metrics?.shardUp.set({ shard: String(shard) }, 0);
      this.events.emit('shard-gave-up', shard, err);
    });
    await supervisor.start();

    // Gateway 0 listens first; the others then share its port.
    const wanted = config.port === 0 && config.gatewayThreads > 1 ? await freePort(config.host) : config.port;
    const first = await this.#startGateway(0, wanted);
    this.#port = first.port;
    const rest = [];
    for (let g = 1; g < config.gatewayThreads; g++) rest.push(this.#startGateway(g, this.#port));
    await Promise.all(rest);
    // Wire every gateway to every shard (direct channels: no relay through main).
    for (let s = 0; s < config.shards; s++) {
      const worker = supervisor.worker(s);
      if (worker !== undefined) this.#connectShard(s, worker, false);
    }
    this.#log.info(
      { port: this.#port, host: config.host, tls: config.tls.keyFile !== undefined, uwsNative: first.native },
      `listening on ${config.host}:${this.#port} (uWebSockets.js ${first.native ? 'native' : 'JS fallback'})`,
    );
    if (config.telnet.port !== undefined) await this.#startTelnet(config.telnet.port);
  }

  /**
   * The telnet bridge: a TCP port whose sessions speak to this server's own `/ws` on loopback
   * (auth, limits and routing stay the gateway's), each telling the gateway its client's real
   * address (trusted from loopback only).
   */
  async #startTelnet(port: number): Promise<void> {
    const config = this.config;
    const wildcard = config.host === '0.0.0.0' || config.host === '::' || config.host === '';
    const local = wildcard ? '127.0.0.1' : config.host;
    const tls = config.tls.keyFile !== undefined && config.tls.certFile !== undefined;
    const telnet = createTelnetServer({
      host: config.host,
      port,
      gatewayUrl: `${tls ? 'wss' : 'ws'}://${local.includes(':') ? `[${local}]` : local}:${this.#port}/ws`,
      ...(config.auth.mode === 'dev'
        ? { secretAs: 'token' as const, defaultToken: 'test-token' }
        : { secretAs: config.auth.mode === 'accounts' ? ('password' as const) : ('token' as const) }),
      ...(this.#telnetBanner === undefined ? {} : { banner: this.#telnetBanner }),
    });
    this.#telnet = telnet;
    try {
      await telnet.listen();
    } catch (err) {
      throw new ListenError(config.host, port, { cause: err });
    }
    this.#log.info({ telnetPort: telnet.port }, `telnet on ${config.host}:${telnet.port}`);
  }

  /** Says goodbye to telnet clients and stops the telnet port (idempotent). */
  async #closeTelnet(): Promise<void> {
    const telnet = this.#telnet;
    if (telnet === undefined) return;
    try {
      await telnet.close();
    } catch (err) {
      this.#log.error({ err }, 'closing the telnet port failed');
    }
  }

  #zonesOf(shard: number): Set<string> {
    const zones = new Set<string>();
    for (const [zone, s] of Object.entries(this.#zoneMap)) if (s === shard) zones.add(zone);
    return zones;
  }

  #startGateway(index: number, port: number): Promise<{ port: number; native: boolean }> {
    const config = this.config;
    const counters = this.#gatewayCounters();
    const data: GatewayWorkerData = {
      kind: 'gateway',
      index,
      shards: config.shards,
      config: { ...config, port },
      heartbeat: this.#heartbeat!.buffer,
      counters,
      verifyInMain: this.#verifier !== undefined,
      registrations: this.#verifier !== undefined && isAccountRegistrar(this.#verifier),
    };
    const worker = spawnWorker(engineFile('gateway/gateway-worker.js'), {
      workerData: data,
      name: `leviathan-gateway-${index}`,
      ...workerLogOptions(this.#log),
    });
    forwardWorkerLogs(worker, this.#log, `gateway-${index}`);
    this.#gateways[index] = worker;
    return new Promise((resolve, reject) => {
      let settled = false;
      worker.on('message', (msg: GatewayToMain) => {
        if (msg.k === 'listening') {
          settled = true;
          resolve({ port: msg.port, native: msg.native });
          return;
        }
        if (msg.k === 'listen-failed') {
          settled = true;
          reject(
            msg.message.includes('JavaScript fallback')
              ? new UwsFallbackError()
              : new ListenError(config.host, port, { cause: new Error(msg.message) }),
          );
          return;
        }
        this.#onGatewayMessage(index, worker, msg);
      });
      worker.on('error', (err) => {
        this.#log.error({ err, gateway: index }, 'gateway thread failed');
        if (!settled) {
          settled = true;
          reject(new WorkerStartError(`gateway ${index}`, { cause: err }));
        }
      });
      worker.on('exit', (code) => {
        if (!settled) {
          settled = true;
          reject(new WorkerStartError(`gateway ${index}`, { cause: new Error(`exit code ${code}`) }));
        } else if (this.#state === 'listening') {
          this.#log.fatal({ gateway: index, code }, 'a gateway thread exited; its clients are disconnected');
        }
      });
    });
  }

  #counters: SharedArrayBuffer | undefined;
  #gatewayCounters(): SharedArrayBuffer {
    this.#counters ??= new SharedArrayBuffer(16);
    return this.#counters;
  }

  #connectShard(shard: number, worker: Worker, restarted: boolean): void {
    for (let g = 0; g < this.#gateways.length; g++) {
      const gateway = this.#gateways[g];
      if (gateway === undefined) continue;
      const { port1, port2 } = new MessageChannel();
      worker.postMessage({ k: 'attach-gateway', gateway: g, port: port2 }, [port2]);
      gateway.postMessage({ k: 'attach-shard', shard, port: port1, restarted } satisfies MainToGateway, [
        port1,
      ]);
    }
  }

  #shardUp(shard: number, worker: Worker, restarted: boolean): void {
    this.#metrics?.shardUp.set({ shard: String(shard) }, 1);
    if (!restarted) return;
    this.#metrics?.shardRestarts.inc({ shard: String(shard) });
    this.#connectShard(shard, worker, true);
    this.#log.warn({ shard }, 'shard restarted; its players are re-attached');
    this.events.emit('shard-restart', shard);
  }

  #shardDown(shard: number, err: Error): void {
    this.#metrics?.shardUp.set({ shard: String(shard) }, 0);
    for (const gateway of this.#gateways)
      gateway?.postMessage({ k: 'shard-down', shard } satisfies MainToGateway);
    // Its players leave the directory until the new shard re-admits them.
    const removed: string[] = [];
    for (const [name, record] of this.#directory) {
      if (record.shard === shard) {
        this.#directory.delete(name);
        removed.push(name);
      }
    }
    this.#broadcastDirectory(-1, [], removed);
    this.events.emit('shard-down', shard, err);
  }

  #restoreState(shard: number) {
    // Every online player whose latest state puts them in this shard's zones. (The directory has
    // already dropped the crashed shard's players; the gateways re-join them with this state.)
    const players = [];
    for (const username of this.#logins.names()) {
      const snapshot = this.#cache.player(username);
      if (snapshot !== undefined && this.#zoneMap[snapshot.data.zone] === shard) players.push(snapshot);
    }
    return {
      players,
      world: this.#cache.worldOf(this.#zonesOf(shard)),
      directory: [...this.#directory.values()].filter((r) => r.shard !== shard),
    };
  }

  // ─── State from the shards ─────────────────────────────────────────────────────────────────

  #onState(shard: number, batch: StateBatch): void {
    this.#cache.apply(batch);
    for (const name of batch.remove) {
      if (this.#directory.get(name)?.shard === shard) this.#directory.delete(name);
    }
    for (const record of batch.upsert) this.#directory.set(record.username, record);
    if (batch.upsert.length > 0 || batch.remove.length > 0)
      this.#broadcastDirectory(shard, batch.upsert, batch.remove);
    if (batch.handoffs.length > 0) {
      const byShard = new Map<number, typeof batch.handoffs>();
      for (const h of batch.handoffs) {
        let list = byShard.get(h.to);
        if (list === undefined) {
          list = [];
          byShard.set(h.to, list);
        }
        list.push(h);
      }
      for (const [to, players] of byShard) this.#supervisor?.post(to, { k: 'adopt', players });
    }
    for (const [to, gateway, ops] of batch.forwards)
      this.#supervisor?.post(to, { k: 'forward', gateway, ops });
    for (const name of batch.loggedOut) this.#logins.release(name);
    try {
      this.#persistence.onStateBatch?.(batch);
    } catch (err) {
      this.#log.error({ err }, 'persistence rejected a state batch');
    }
  }

  #broadcastDirectory(from: number, upsert: StateBatch['upsert'], remove: string[]): void {
    const supervisor = this.#supervisor;
    if (supervisor === undefined) return;
    for (let s = 0; s < supervisor.count; s++) {
      if (s !== from) supervisor.post(s, { k: 'directory', upsert, remove });
    }
  }

  // ─── Gateways ──────────────────────────────────────────────────────────────────────────────

  #onGatewayMessage(index: number, worker: Worker, msg: GatewayToMain): void {
    switch (msg.k) {
      case 'login':
        this.#login(msg.username).then(
          (result) => worker.postMessage({ k: 'login-result', id: msg.id, result } satisfies MainToGateway),
          (err: unknown) => {
            this.#log.error({ err, username: msg.username }, 'login failed');
            this.#logins.release(msg.username);
            worker.postMessage({
              k: 'login-result',
              id: msg.id,
              result: {
                ok: false,
                code: ErrorCode.Internal,
                message: 'login failed on the server; try again',
              },
            } satisfies MainToGateway);
          },
        );
        break;
      case 'logout':
        this.#logins.leaving(msg.username, msg.joined);
        break;
      case 'verify':
        verifySafely(this.#verifier!, msg.request, this.#log).then((result) =>
          worker.postMessage({ k: 'verify-result', id: msg.id, result } satisfies MainToGateway),
        );
        break;
      case 'register': {
        const verifier = this.#verifier;
        const answer =
          verifier !== undefined && isAccountRegistrar(verifier)
            ? registerSafely(verifier, msg.request, this.#log)
            : Promise.resolve({
                ok: false as const,
                code: ErrorCode.Forbidden,
                message: 'this server does not take registrations',
              });
        answer.then((result) =>
          worker.postMessage({ k: 'verify-result', id: msg.id, result } satisfies MainToGateway),
        );
        break;
      }
      case 'metrics-request':
        this.metrics().then(
          (text) => worker.postMessage({ k: 'metrics-text', id: msg.id, text } satisfies MainToGateway),
          (err: unknown) => {
            this.#log.error({ err }, 'metrics failed');
            worker.postMessage({ k: 'metrics-text', id: msg.id, text: '' } satisfies MainToGateway);
          },
        );
        break;
      case 'metrics':
      case 'closed-all':
      case 'stopped': {
        const id = msg.k === 'metrics' ? msg.id : msg.k === 'closed-all' ? -1 - index : -1000 - index;
        const done = this.#pending.get(id);
        this.#pending.delete(id);
        done?.(msg.k === 'metrics' ? msg.data : true);
        break;
      }
      default:
        break;
    }
  }

  async #login(username: string): Promise<LoginResult> {
    if (this.#state !== 'listening') {
      return { ok: false, code: ErrorCode.ServerShuttingDown, message: 'the server is shutting down' };
    }
    // A second login takes the character over (sessions.duplicateLogin 'takeover'): the old
    // session gets `bye` with TakenOver (4006), or leaves at once if it was held after a drop, and
    // the new one continues once the old one's final state is in the cache. 'refuse' turns the
    // new login away instead. Never a second character.
    const takeOver = this.#logins.has(username) && !this.#logins.isLeaving(username);
    if (takeOver && this.config.sessions.duplicateLogin === 'refuse') {
      return { ok: false, code: ErrorCode.AlreadyConnected, message: `${username} is already playing` };
    }
    if (takeOver) {
      for (const gateway of this.#gateways) {
        gateway?.postMessage({
          k: 'kick',
          username,
          code: CloseCode.TakenOver,
          reason: 'logged in from elsewhere',
        } satisfies MainToGateway);
      }
    }
    if (!(await this.#logins.reserve(username, 5_000, takeOver))) {
      return { ok: false, code: ErrorCode.AlreadyConnected, message: `${username} is already playing` };
    }
    this.#cache.online(username);
    const snapshot = this.#cache.player(username) ?? (await this.#persistence.loadPlayer?.(username)) ?? null;
    const game = this.#game!;
    const start = typeof game.start === 'function' ? game.start(username) : game.start;
    let zone = snapshot?.data.zone ?? start.zone;
    let room = snapshot ? snapshot.data.room : (start.room ?? null);
    if (this.#zoneMap[zone] === undefined) {
      zone = start.zone;
      room = start.room ?? null;
    }
    return { ok: true, zone, room, shard: this.#zoneMap[zone]!, snapshot };
  }

  #ask(worker: Worker, id: number, message: MainToGateway, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.#pending.set(id, (data) => {
        clearTimeout(timer);
        resolve(data);
      });
      worker.postMessage(message);
    });
  }

  // ─── Metrics ───────────────────────────────────────────────────────────────────────────────

  async metrics(): Promise<string> {
    const metrics = this.#metrics;
    const supervisor = this.#supervisor;
    const heartbeat = this.#heartbeat;
    if (metrics === undefined || supervisor === undefined || heartbeat === undefined) return '';
    const now = performance.timeOrigin + performance.now();
    for (let s = 0; s < supervisor.count; s++) {
      const label = { shard: String(s) };
      const age = heartbeat.age(s, now);
      metrics.shardLastTickAge.set(label, Number.isFinite(age) ? age / 1000 : 0);
      metrics.shardUp.set(label, supervisor.isUp(s) ? 1 : 0);
      metrics.shardRestarts.inc(label, 0);
    }
    const parts: Array<Promise<unknown>> = [collectThreadMetrics(this.#registry)];
    for (const worker of this.#gateways) {
      if (worker === undefined) continue;
      const id = this.#nextRequest++;
      parts.push(this.#ask(worker, id, { k: 'collect-metrics', id }, 2_000));
    }
    for (let s = 0; s < supervisor.count; s++) {
      parts.push(supervisor.request(s, (id) => ({ k: 'metrics', id }), 2_000));
    }
    const snapshots = (await Promise.all(parts)).filter((p): p is ThreadMetricsSnapshot => Array.isArray(p));
    return aggregateMetrics(snapshots);
  }

  async killShard(shard: number): Promise<void> {
    await this.#supervisor?.kill(shard);
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

  async #close(): Promise<void> {
    this.#state = 'closing';
    this.events.emit('closing');
    const deadline = this.config.shutdownDeadlineMs;
    let timedOut = false;
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        timedOut = true;
        resolve();
      }, deadline).unref(),
    );
    await Promise.race([this.#graceful(deadline), timer]);
    await this.#teardown(timedOut ? 1_000 : deadline);
    this.#removeSignals();
    this.#metrics?.close();
    this.#state = 'closed';
    this.events.emit('closed');
    if (timedOut) {
      const err = new ShutdownTimeoutError(deadline);
      this.#log.error({ err }, 'graceful shutdown passed its deadline; threads terminated');
      throw err;
    }
    this.#log.info('stopped');
  }

  async #graceful(deadline: number): Promise<void> {
    const heartbeat = this.#heartbeat;
    heartbeat?.setShuttingDown();
    this.#log.info('shutting down: no new connections, saying bye to clients');
    // 0. Telnet clients are told first; their gateway connections close like any other.
    await this.#closeTelnet();
    // 1. Stop accepting, say bye (GoingAway) and close every socket; pending input is flushed.
    await Promise.all(
      this.#gateways.map((worker, g) => {
        if (worker === undefined) return undefined;
        worker.postMessage({ k: 'stop-accepting' } satisfies MainToGateway);
        return this.#ask(
          worker,
          -1 - g,
          { k: 'bye', code: 1001, reason: 'the server is shutting down' },
          Math.min(2_000, deadline / 4),
        );
      }),
    );
    // 2. Drain the shards: queued commands run, players leave with their final state.
    const drained = (await this.#supervisor?.drain(Math.min(5_000, deadline / 2))) ?? [];
    for (let s = 0; s < drained.length; s++) {
      const batch = drained[s] as StateBatch | null | undefined;
      if (batch) this.#onState(s, batch);
    }
    // 3. Persist.
    try {
      await this.#persistence.flush?.();
    } catch (err) {
      this.#log.error({ err }, 'the final flush failed');
    }
  }

  /** Stops every thread (closing each uWS socket first), then the store. */
  async #teardown(timeoutMs: number): Promise<void> {
    if (this.#storeHealth !== undefined) clearInterval(this.#storeHealth);
    await this.#closeTelnet();
    await Promise.all(
      this.#gateways.map(async (worker, g) => {
        if (worker === undefined) return;
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        await this.#ask(worker, -1000 - g, { k: 'stop' }, timeoutMs);
        // The gateway closed its listen socket and its connections and let go of its ports: the
        // thread ends by itself once uWS has finished closing the sockets. Terminating it while a
        // socket is still closing can crash the process (uWS 20.30 has no App.close()), so that is
        // only the last resort, past the deadline.
        const timer = setTimeout(() => void worker.terminate(), timeoutMs);
        await exited;
        clearTimeout(timer);
      }),
    );
    await this.#supervisor?.stop(timeoutMs);
    this.#logins.clear();
    try {
      await this.#persistence.close?.();
    } catch (err) {
      this.#log.error({ err }, 'closing the store failed');
    }
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
    const done = this.close();
    if (this.#handleSignals) {
      done.then(
        () => flushLogs().then(() => process.exit(0)),
        () => flushLogs().then(() => process.exit(1)),
      );
    } else {
      done.catch((err: unknown) => this.#log.error({ err }, 'the requested shutdown failed'));
    }
  }

  #installSignals(): void {
    let signalled = false;
    this.#signalHandler = (signal) => {
      if (signalled) {
        this.#log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      signalled = true;
      this.#log.info({ signal }, 'signal received: graceful shutdown');
      this.close().then(
        () => flushLogs().then(() => process.exit(0)),
        () => flushLogs().then(() => process.exit(1)),
      );
    };
    process.on('SIGTERM', this.#signalHandler);
    process.on('SIGINT', this.#signalHandler);
  }

  #removeSignals(): void {
    if (this.#signalHandler === undefined) return;
    process.off('SIGTERM', this.#signalHandler);
    process.off('SIGINT', this.#signalHandler);
    this.#signalHandler = undefined;
  }
}

export type { WorldRecord };
