/**
 * The engine's configuration: one resolved, validated, frozen object that every thread receives
 * (it is structured-clone safe: plain data, no functions, no secrets).
 *
 * The documentation of each field (unit, default, environment variable, flag) is generated into
 * docs/configuration.md from the option table in `config-options.ts` (its groups in `options/`);
 * a test keeps the two in step with this interface.
 */

import type { AuthMode } from '@leviathan/protocol';

/**
 * Authentication modes, a wire value (`GET /login-options` tells clients which one runs). `dev`
 * accepts the token `test-token` and must be asked for explicitly.
 */
export type { AuthMode };

/** Where persistent state lives. */
export type StoreKind = 'embedded' | 'postgres' | 'none';
/** The embedded store's SQLite binding (store/embedded/load-sqlite-driver.ts). */
export type SqliteDriverSetting = 'auto' | 'better-sqlite3' | 'node:sqlite';

/**
 * The gateway's transport: `uws` (native uWebSockets.js), `node` (Node's http + ws), or `auto`
 * (uws where its binary loads, else node).
 */
export type TransportSetting = 'auto' | 'uws' | 'node';

/** Log levels, least to most severe; `silent` turns logging off. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** A token-bucket rate: a sustained rate and a burst. */
export interface RateConfig {
  /**
   * Sustained rate, in tokens per second (fractions allowed: 0.5 is one every two seconds).
   */
  readonly perSecond: number;
  /**
   * Bucket size: how many may arrive at once after a quiet period, in tokens.
   */
  readonly burst: number;
}

export interface TlsConfig {
  /**
   * PEM private key file. TLS is on when both `keyFile` and `certFile` are set.
   * @default undefined (plain HTTP and WebSocket)
   */
  readonly keyFile: string | undefined;
  /**
   * PEM certificate chain file.
   * @default undefined
   */
  readonly certFile: string | undefined;
}

export interface AuthConfig {
  /**
   * How players authenticate. `dev` accepts the token `test-token` for any username (local play
   * and load tests only; it logs a warning); `hmac` accepts signed, expiring tokens (see
   * `signHmacToken`); `custom` uses a verifier given in code or by `customVerifier`; `accounts`
   * uses username and password accounts in the store.
   * @default 'hmac'
   */
  readonly mode: AuthMode;
  /**
   * Name of the environment variable that holds the HMAC secret (at least 32 bytes). The secret
   * itself is never read from a file or a flag, and never enters this object.
   * @default 'LEVIATHAN_HMAC_SECRET'
   */
  readonly hmacSecretEnv: string;
  /**
   * Name of the environment variable that may hold the previous HMAC secret, still accepted for
   * verification while tokens signed with it expire (key rotation).
   * @default 'LEVIATHAN_HMAC_PREVIOUS_SECRET'
   */
  readonly hmacPreviousSecretEnv: string;
  /**
   * Tolerated clock difference when checking token expiry, in seconds.
   * @default 30
   */
  readonly clockSkewSec: number;
  /**
   * Module specifier or file path of a custom verifier (mode `custom`); the module exports an
   * `AuthVerifier` as `default` or `verifier`, or a factory `createVerifier(options)`.
   * @default undefined
   */
  readonly customVerifier: string | undefined;
  /**
   * Login attempts allowed per remote address.
   * @default { perSecond: 1, burst: 10 }
   */
  readonly rate: RateConfig;
}

export interface StoreConfig {
  /**
   * `embedded` (SQLite in `dataDir`, no server needed), `postgres` (`url`), or `none`: nothing
   * persists (tests, throwaway servers). A bare `createServer()` persists with the embedded store.
   * @default 'embedded'
   */
  readonly kind: StoreKind;
  /**
   * Directory of the embedded store's files, relative to the working directory; created at start
   * if missing, and its absolute path logged.
   * @default './.leviathan-data'
   */
  readonly dataDir: string;
  /**
   * SQLite binding of the embedded store: `auto` takes better-sqlite3 when it is installed and
   * loads, else Node's built-in `node:sqlite` (Node 22.13+); either can be required. Both read the
   * same files, so a data directory moves between them.
   * @default 'auto'
   */
  readonly sqliteDriver: SqliteDriverSetting;
  /**
   * Postgres connection URL (kind `postgres`). It may carry a password: prefer the environment
   * variable; logs show it redacted.
   * @default undefined
   */
  readonly url: string | undefined;
}

export interface LogConfig {
  /**
   * Least severe level written.
   * @default 'info'
   */
  readonly level: LogLevel;
  /**
   * Human-readable lines through pino-pretty instead of JSON, for development. pino-pretty is not
   * a dependency of the engine: install it in the application (`npm install -D pino-pretty`).
   * @default false
   */
  readonly pretty: boolean;
}

/** The live dashboard at `/dashboard` (docs/engine.md, "The live dashboard"). */
export interface DashboardConfig {
  /**
   * Serve `/dashboard` and sample the figures once a second on the main thread. Off, `/dashboard`
   * answers 404 like any unknown path and nothing is sampled.
   * @default false
   */
  readonly enabled: boolean;
  /**
   * Name of the environment variable holding the access token (read by the gateway threads, never
   * kept in the configuration). Set and not empty: the data needs `Authorization: Bearer <token>`,
   * from any address. Unset: only loopback clients get the data.
   * @default 'LEVIATHAN_DASHBOARD_TOKEN'
   */
  readonly tokenEnv: string;
}

/** One world over several nodes, coordinated through Redis (docs/cluster.md). */
export interface ClusterConfig {
  /**
   * Redis that the nodes of one world coordinate through (`redis://` or `rediss://`). Unset, the
   * node is a world of its own. Needs `store.kind: postgres`, shared by the nodes.
   * @default undefined
   */
  readonly redisUrl: string | undefined;
  /**
   * The cluster's name, which its Redis keys start with: every node of one world uses the same.
   * @default 'leviathan'
   */
  readonly name: string;
  /**
   * This node's name, unique in the cluster and the same across its restarts.
   * @default the host name
   */
  readonly node: string | undefined;
  /**
   * Length of a zone's lease and of a node's heartbeat, in milliseconds.
   * @default 3000
   */
  readonly leaseTtlMs: number;
}

export interface JobsConfig {
  /**
   * Most job-pool worker threads over all shards: each shard's pool gets an equal share, at least
   * one. Threads start on the first job and exit when idle; jobs compete with shards for cores.
   * @default max(1, ⌊cores / 2⌋)
   */
  readonly maxThreads: number;
  /**
   * Most jobs waiting for a thread, per pool; further `run()` calls reject with
   * `LEV_ERR_JOB_QUEUE_FULL`.
   * @default 1024
   */
  readonly maxQueue: number;
  /**
   * Idle time after which a job thread above the minimum exits, in milliseconds.
   * @default 30000
   */
  readonly idleTimeoutMs: number;
}

/** What to do when someone logs in as a character that is already in play. */
export type DuplicateLogin = 'takeover' | 'refuse';

export interface SessionsConfig {
  /**
   * How long a character whose WebSocket dropped (closed without `quit`) stays in the world,
   * waiting to be resumed with the token of `auth-ok.resume`, in milliseconds; 0: it leaves at once.
   * @default 120000
   */
  readonly graceMs: number;
  /**
   * A second login as a character in play: `takeover` closes the old connection (bye 4006) and
   * gives the character to the new one; `refuse` turns the new one away (LEV_ERR_ALREADY_CONNECTED,
   * close 4010). Never a second character.
   * @default 'takeover'
   */
  readonly duplicateLogin: DuplicateLogin;
  /**
   * Messages kept for a dropped character and replayed when it is resumed (oldest dropped first).
   * @default 200
   */
  readonly replayMessages: number;
}

export interface EngineConfig {
  /**
   * Interface the HTTP/WebSocket server (and game services such as the telnet bridge) binds.
   * Loopback by default: reachable from this machine only. `'0.0.0.0'` (or `'::'`) accepts
   * connections from other machines, as a deployment sets it.
   * @default '127.0.0.1'
   */
  readonly host: string;
  /**
   * TCP port of `/ws`, `/metrics`, `/healthz`, `/readyz` and the files of `webRoot`; 0 picks a
   * free port.
   * @default 8080
   */
  readonly port: number;
  readonly tls: TlsConfig;
  /**
   * Gateway worker threads, each listening on the same port (one on the node transport before
   * Node 22.12, which cannot share a port between threads).
   * @default max(1, ⌊cores / 4⌋)
   */
  readonly gatewayThreads: number;
  /**
   * Shard worker threads, each owning a set of zones. The default leaves a core to each gateway
   * thread, and is never fewer than the shards `zoneShards` places zones on.
   * @default cores − gatewayThreads, at least 1
   */
  readonly shards: number;
  /**
   * Tick rate of every shard, in ticks per second.
   * @default 10
   */
  readonly tickHz: number;
  /**
   * Largest WebSocket message accepted, in bytes; larger ones close the socket with 1009.
   * @default 65536
   */
  readonly maxPayloadBytes: number;
  /**
   * Seconds without any traffic before a socket is closed; the gateway pings at half of it. 0
   * disables; otherwise 8 to 960 (the uws transport rounds to a multiple of 4).
   * @default 120
   */
  readonly idleTimeoutSec: number;
  /**
   * Most open WebSocket connections over all gateway threads; beyond, new ones close with 1013.
   * @default 10000
   */
  readonly maxConnections: number;
  /**
   * Time a new socket has to authenticate, in milliseconds.
   * @default 10000
   */
  readonly authDeadlineMs: number;
  /**
   * Commands allowed per connection; extra ones get `LEV_ERR_RATE_LIMITED` and are dropped.
   * @default { perSecond: 20, burst: 40 }
   */
  readonly commandRate: RateConfig;
  /**
   * Most bytes buffered for one socket before low-priority events are dropped and, past twice
   * this, the slow reader is closed.
   * @default 1048576
   */
  readonly maxBufferedBytes: number;
  /**
   * Bytes of shared memory per gateway–shard pair for input records (a power of two): the shard
   * reads it at each tick; while it is full, input waits in the gateway, and past 50,000 waiting
   * records commands are refused with `LEV_ERR_SHARD_UNAVAILABLE`. About 20,000 commands per tick.
   * @default 1048576
   */
  readonly inputRingBytes: number;
  /**
   * Time a graceful shutdown may take before the process exits anyway, in milliseconds.
   * @default 10000
   */
  readonly shutdownDeadlineMs: number;
  /**
   * Age of a shard's last tick beyond which it is reported stalled (unhealthy in `/readyz`), in
   * milliseconds.
   * @default 5000
   */
  readonly shardStallMs: number;
  readonly auth: AuthConfig;
  readonly sessions: SessionsConfig;
  /**
   * The game module to serve: a file path (relative to the working directory), a `file:` URL, or
   * a package and its module (`@leviathan/mud/game`), resolved from the working directory. Every
   * shard thread imports it. Required to serve: the engine has no game of its own.
   * @default none: required
   */
  readonly game: string | undefined;
  /**
   * Options passed to the game, as JSON.
   * @default {}
   */
  readonly gameOptions: Readonly<Record<string, unknown>>;
  /**
   * Explicit zone → shard index placement; other zones go by a stable hash of their id.
   * @default {}
   */
  readonly zoneShards: Readonly<Record<string, number>>;
  readonly store: StoreConfig;
  /**
   * Interval of the write-behind flush of dirty state to the store, in milliseconds.
   * @default 1000
   */
  readonly flushIntervalMs: number;
  readonly cluster: ClusterConfig;
  readonly log: LogConfig;
  readonly dashboard: DashboardConfig;
  readonly jobs: JobsConfig;
  /**
   * What serves the WebSocket and HTTP port: `uws` (native uWebSockets.js; the server refuses to
   * start where its binary does not load), `node` (Node's http + ws, slower), or `auto` (uws where
   * it loads, else node). docs/node-support.md says which runs where.
   * @default 'auto'
   */
  readonly transport: TransportSetting;
  /**
   * Whether V8's memory reducer runs in the isolates created after the server starts: the
   * gateway, shard and job threads (v8-flags.ts). V8 flags are process-wide, so it also applies to
   * isolates the host creates later. Off: a shard thread idle between ticks looks idle to V8, which
   * then runs full collections to shrink the heap, at a CPU cost the tick pays. The main thread's
   * isolate exists before the server starts: `node --no-memory-reducer` reaches it.
   * @default false
   */
  readonly v8MemoryReducer: boolean;
  /**
   * Directory of static files served at `/`, such as `@leviathan/mud`'s browser client
   * (`webClientRoot()`). Unset, `/` answers 404: the engine has no web client of its own.
   * @default undefined
   */
  readonly webRoot: string | undefined;
}

/**
 * A partial configuration, nested objects partial too: what code passes to `createServer` and
 * `resolveConfig`. Missing fields take their defaults.
 */
export interface EngineConfigInput
  extends Partial<
    Omit<
      EngineConfig,
      'tls' | 'commandRate' | 'auth' | 'sessions' | 'store' | 'cluster' | 'log' | 'dashboard' | 'jobs'
    >
  > {
  readonly tls?: Partial<TlsConfig>;
  readonly commandRate?: Partial<RateConfig>;
  readonly auth?: Partial<Omit<AuthConfig, 'rate'>> & { readonly rate?: Partial<RateConfig> };
  readonly sessions?: Partial<SessionsConfig>;
  readonly store?: Partial<StoreConfig>;
  readonly cluster?: Partial<ClusterConfig>;
  readonly log?: Partial<LogConfig>;
  readonly dashboard?: Partial<DashboardConfig>;
  readonly jobs?: Partial<JobsConfig>;
}

export { CONFIG_OPTIONS } from './config-options.js';
export { AUTH_MODES } from './options/auth-options.js';
export { LOG_LEVELS } from './options/log-options.js';
export { TRANSPORTS } from './options/runtime-options.js';
export { SQLITE_DRIVERS, STORE_KINDS } from './options/store-options.js';
export type { ConfigSources } from './resolve-config.js';
export { isResolvedConfig, resolveConfig } from './resolve-config.js';
