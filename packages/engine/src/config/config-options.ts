import type {
  AuthMode,
  DuplicateLogin,
  LogLevel,
  SqliteDriverSetting,
  StoreKind,
  TransportSetting,
} from './engine-config.js';
import { type DefaultContext, type OptionSpec, option } from './option-spec.js';

export const AUTH_MODES: readonly AuthMode[] = Object.freeze(['dev', 'hmac', 'custom', 'accounts']);
export const DUPLICATE_LOGINS: readonly DuplicateLogin[] = Object.freeze(['takeover', 'refuse']);
export const STORE_KINDS: readonly StoreKind[] = Object.freeze(['embedded', 'postgres', 'none']);
export const SQLITE_DRIVERS: readonly SqliteDriverSetting[] = Object.freeze([
  'auto',
  'better-sqlite3',
  'node:sqlite',
]);
export const TRANSPORTS: readonly TransportSetting[] = Object.freeze(['auto', 'uws', 'node']);
export const LOG_LEVELS: readonly LogLevel[] = Object.freeze([
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
]);

/**
 * The table of every configuration option: its type, bounds, default, environment variable and
 * flag. It drives parsing, validation, `leviathan serve --help` and docs/configuration.md, so
 * adding an option here is all it takes to make it configurable everywhere (and the generated page
 * goes stale until regenerated, which a test catches).
 */

const MiB = 1024 * 1024;

export const CONFIG_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'host',
    type: 'string',
    description:
      'Interface the HTTP/WebSocket server (and game services such as the telnet bridge) binds: loopback by default, reachable from this machine only; 0.0.0.0 (or ::) to accept connections from other machines.',
    default: '127.0.0.1',
  }),
  option({
    key: 'port',
    type: 'integer',
    description:
      'TCP port of /ws, /metrics, /healthz, /readyz and the files of webRoot; 0 picks a free port.',
    unit: 'TCP port',
    default: 8080,
    min: 0,
    max: 65535,
  }),
  option({
    key: 'tls.keyFile',
    type: 'string',
    description: 'PEM private key file; TLS is on when both tls.keyFile and tls.certFile are set.',
    unit: 'path',
    default: undefined,
    optional: true,
  }),
  option({
    key: 'tls.certFile',
    type: 'string',
    description: 'PEM certificate chain file.',
    unit: 'path',
    default: undefined,
    optional: true,
  }),
  option({
    key: 'gatewayThreads',
    type: 'integer',
    description:
      'Gateway worker threads, each listening on the same port (one on the node transport before Node 22.12).',
    unit: 'threads',
    default: ({ cores }: DefaultContext) => Math.max(1, Math.floor(cores / 4)),
    defaultText: 'max(1, ⌊cores / 4⌋)',
    min: 1,
    max: 64,
  }),
  option({
    key: 'shards',
    type: 'integer',
    description: 'Shard worker threads, each owning a set of zones and running the tick loop.',
    unit: 'threads',
    default: ({ cores }: DefaultContext) => Math.max(1, cores),
    defaultText: 'cores (os.availableParallelism())',
    min: 1,
    max: 256,
  }),
  option({
    key: 'tickHz',
    type: 'number',
    description: 'Tick rate of every shard.',
    unit: 'ticks per second',
    default: 10,
    min: 1,
    max: 1000,
  }),
  option({
    key: 'maxPayloadBytes',
    type: 'integer',
    description: 'Largest WebSocket message accepted; larger ones close the socket with 1009.',
    unit: 'bytes',
    default: 64 * 1024,
    min: 256,
    max: 16 * MiB,
  }),
  option({
    key: 'idleTimeoutSec',
    type: 'integer',
    description:
      'Time without traffic before a socket is closed (the gateway pings at half of it); 0 disables, else 8 to 960.',
    unit: 'seconds',
    default: 120,
    min: 0,
    max: 960,
  }),
  option({
    key: 'maxConnections',
    type: 'integer',
    description:
      'Most open WebSocket connections over all gateway threads; beyond, new ones close with 1013.',
    unit: 'connections',
    default: 10_000,
    min: 1,
    max: 10_000_000,
  }),
  option({
    key: 'authDeadlineMs',
    type: 'integer',
    description: 'Time a new socket has to authenticate before it is closed.',
    unit: 'milliseconds',
    default: 10_000,
    min: 100,
    max: 600_000,
  }),
  option({
    key: 'commandRate.perSecond',
    type: 'number',
    description: 'Sustained commands per connection; extra ones get LEV_ERR_RATE_LIMITED and are dropped.',
    unit: 'commands per second',
    default: 20,
    min: 0.01,
    max: 100_000,
  }),
  option({
    key: 'commandRate.burst',
    type: 'integer',
    description: 'Commands a connection may send at once after a quiet period.',
    unit: 'commands',
    default: 40,
    min: 1,
    max: 1_000_000,
  }),
  option({
    key: 'maxBufferedBytes',
    type: 'integer',
    description:
      'Bytes buffered for one socket before low-priority events are dropped; past twice this the slow reader is closed.',
    unit: 'bytes',
    default: MiB,
    min: 1024,
    max: 1024 * MiB,
  }),
  option({
    key: 'inputRingBytes',
    type: 'integer',
    description:
      'Bytes of shared memory per gateway-shard pair for input records (a power of two); a shard reads it at each tick, and input waits in the gateway while it is full.',
    unit: 'bytes',
    default: MiB,
    min: 64 * 1024,
    max: 256 * MiB,
  }),
  option({
    key: 'shutdownDeadlineMs',
    type: 'integer',
    description: 'Time a graceful shutdown may take before the process exits anyway.',
    unit: 'milliseconds',
    default: 10_000,
    min: 0,
    max: 600_000,
  }),
  option({
    key: 'shardStallMs',
    type: 'integer',
    description: "Age of a shard's last tick beyond which it is reported stalled (unhealthy in /readyz).",
    unit: 'milliseconds',
    default: 5000,
    min: 10,
    max: 600_000,
  }),
  option({
    key: 'auth.mode',
    type: 'enum',
    description:
      'How players authenticate: dev (token test-token, local use only), hmac (signed expiring tokens), custom (your verifier) or accounts (passwords in the store).',
    default: 'hmac',
    values: AUTH_MODES,
  }),
  option({
    key: 'auth.hmacSecretEnv',
    type: 'string',
    description:
      'Name of the environment variable holding the HMAC secret (32 bytes or more); secrets are never read from files or flags.',
    unit: 'variable name',
    default: 'LEVIATHAN_HMAC_SECRET',
  }),
  option({
    key: 'auth.hmacPreviousSecretEnv',
    type: 'string',
    description:
      'Name of the environment variable that may hold the previous HMAC secret, still accepted during key rotation.',
    unit: 'variable name',
    default: 'LEVIATHAN_HMAC_PREVIOUS_SECRET',
  }),
  option({
    key: 'auth.clockSkewSec',
    type: 'integer',
    description: 'Tolerated clock difference when checking token expiry.',
    unit: 'seconds',
    default: 30,
    min: 0,
    max: 3600,
  }),
  option({
    key: 'auth.customVerifier',
    type: 'string',
    description:
      'Module specifier or file of a custom verifier (mode custom): exports default, verifier, or createVerifier(options).',
    unit: 'module',
    default: undefined,
    optional: true,
  }),
  option({
    key: 'auth.rate.perSecond',
    type: 'number',
    description: 'Sustained login attempts allowed per remote address.',
    unit: 'attempts per second',
    default: 1,
    min: 0.001,
    max: 100_000,
  }),
  option({
    key: 'auth.rate.burst',
    type: 'integer',
    description: 'Login attempts a remote address may make at once.',
    unit: 'attempts',
    default: 10,
    min: 1,
    max: 1_000_000,
  }),
  option({
    key: 'sessions.graceMs',
    type: 'integer',
    description:
      'How long a character whose WebSocket dropped stays in the world, resumable with the token of auth-ok.resume; 0: it leaves at once.',
    unit: 'milliseconds',
    default: 120_000,
    min: 0,
    max: 86_400_000,
  }),
  option({
    key: 'sessions.duplicateLogin',
    type: 'enum',
    description:
      'A second login as a character in play: takeover (the old connection gets bye 4006) or refuse (LEV_ERR_ALREADY_CONNECTED).',
    default: 'takeover',
    values: DUPLICATE_LOGINS,
  }),
  option({
    key: 'sessions.replayMessages',
    type: 'integer',
    description: 'Messages kept for a dropped character and replayed when it resumes.',
    unit: 'messages',
    default: 200,
    min: 0,
    max: 100_000,
  }),
  option({
    key: 'game',
    type: 'string',
    description:
      'The game module to serve (required): a file path, or a package and its module (@leviathan/mud/game), resolved from the working directory.',
    unit: 'module',
    default: undefined,
    defaultText: 'none: required',
    optional: true,
  }),
  option({
    key: 'gameOptions',
    type: 'json-object',
    description: 'Options passed to the game (a JSON object).',
    default: {},
  }),
  option({
    key: 'zoneShards',
    type: 'zone-map',
    description:
      'Explicit zone to shard placement, as JSON or zone=shard pairs (town=0,forest=1); other zones go by a stable hash.',
    default: {},
  }),
  option({
    key: 'store.kind',
    type: 'enum',
    description:
      'embedded (SQLite files in store.dataDir, no server), postgres (store.url), or none (nothing persists).',
    default: 'embedded',
    values: STORE_KINDS,
  }),
  option({
    key: 'store.dataDir',
    type: 'string',
    description:
      "Directory of the embedded store's files (store.kind embedded), relative to the working directory; created at start if missing, and its absolute path logged.",
    unit: 'path',
    default: './.leviathan-data',
  }),
  option({
    key: 'store.sqliteDriver',
    type: 'enum',
    description:
      "SQLite binding of the embedded store: auto (better-sqlite3 when it is installed and loads, else Node's built-in node:sqlite on 22.13+), better-sqlite3, or node:sqlite. Both read the same files.",
    default: 'auto',
    values: SQLITE_DRIVERS,
  }),
  option({
    key: 'store.url',
    type: 'string',
    description:
      'Postgres connection URL (store.kind postgres); prefer the environment variable, logs redact it.',
    unit: 'URL',
    default: undefined,
    optional: true,
  }),
  option({
    key: 'flushIntervalMs',
    type: 'integer',
    description: 'Interval of the write-behind flush of dirty state to the store.',
    unit: 'milliseconds',
    default: 1000,
    min: 10,
    max: 3_600_000,
  }),
  option({
    key: 'log.level',
    type: 'enum',
    description: 'Least severe log level written; silent turns logs off.',
    default: 'info',
    values: LOG_LEVELS,
  }),
  option({
    key: 'log.pretty',
    type: 'boolean',
    description:
      'Human-readable log lines through pino-pretty, for development (install pino-pretty; the engine does not bring it); off: JSON lines.',
    default: false,
  }),
  option({
    key: 'jobs.maxThreads',
    type: 'integer',
    description:
      "Most job-pool worker threads over all shards (each shard's pool gets an equal share, at least one); they start on the first job.",
    unit: 'threads',
    default: ({ cores }: DefaultContext) => Math.max(1, Math.floor(cores / 2)),
    defaultText: 'max(1, ⌊cores / 2⌋)',
    min: 1,
    max: 256,
  }),
  option({
    key: 'jobs.maxQueue',
    type: 'integer',
    description: 'Most jobs waiting for a thread, per pool; further runs reject with LEV_ERR_JOB_QUEUE_FULL.',
    unit: 'jobs',
    default: 1024,
    min: 0,
    max: 10_000_000,
  }),
  option({
    key: 'jobs.idleTimeoutMs',
    type: 'integer',
    description: 'Idle time after which a job thread exits.',
    unit: 'milliseconds',
    default: 30_000,
    min: 0,
    max: 3_600_000,
  }),
  option({
    key: 'transport',
    type: 'enum',
    description:
      'What serves the WebSocket and HTTP port: uws (native uWebSockets.js; the server refuses to start where its binary does not load), node (Node http + ws, slower), or auto (uws where it loads, else node).',
    default: 'auto',
    values: TRANSPORTS,
  }),
  option({
    key: 'v8MemoryReducer',
    type: 'boolean',
    description:
      "Whether V8's memory reducer runs in the isolates created after the server starts (its gateway, shard and job threads; the flag is process-wide, so also any the host creates later). Off by default: a shard idle between ticks looks idle to V8, which then runs full collections to give memory back, about 15 % of the engine's CPU at 2,000 commands/s. The price: the heaps do not shrink when the server goes idle (RSS about 2 KB more per idle player at 12,000 players).",
    default: false,
  }),
  option({
    key: 'webRoot',
    type: 'string',
    description:
      "Directory of static files served at / (such as @leviathan/mud's browser client, webClientRoot()); unset: / answers 404, the engine has no web client of its own.",
    unit: 'path',
    default: undefined,
    optional: true,
  }),
]);

/** Options by key. */
export const OPTIONS_BY_KEY: ReadonlyMap<string, OptionSpec> = new Map(CONFIG_OPTIONS.map((o) => [o.key, o]));

/** Keys of nested groups (`tls`, `auth`, `auth.rate`, ...), which a config file writes as objects. */
export const OPTION_GROUPS: ReadonlySet<string> = new Set(
  CONFIG_OPTIONS.flatMap((o) => {
    const parts = o.key.split('.');
    return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('.'));
  }),
);

/**
 * Keys that would hold secrets. They are refused everywhere but the environment, with an error
 * that says where to put them instead.
 */
export const SECRET_KEYS: ReadonlyMap<string, string> = new Map([
  ['auth.hmacSecret', 'auth.hmacSecretEnv'],
  ['auth.hmacPreviousSecret', 'auth.hmacPreviousSecretEnv'],
  ['auth.secret', 'auth.hmacSecretEnv'],
]);
