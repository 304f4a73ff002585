/**
 * Every error class of @leviathan/engine. One base class (engine-error.ts), one class per failure,
 * stable codes (`LEV_ERR_ENGINE_*` for the runtime; other subsystems have blocks of their own),
 * `cause` chaining. Each code is documented in docs/errors.md under `## @leviathan/engine`. The
 * runtime's and operations' classes are here; the store's and the cluster's are beside them
 * (store/store-errors.ts, cluster/cluster-errors.ts), and exported from here too.
 */
import { EngineError } from './engine-error.js';

export * from './cluster/cluster-errors.js';
export { EngineError } from './engine-error.js';
export * from './store/store-errors.js';

// ─── Runtime (gateway, shards, game API, server) ─────────────────────────────────────────────────

/** `transport` is `uws` and the native uWebSockets.js binary does not load on this Node and OS. */
export class UwsUnavailableError extends EngineError {
  override readonly name = 'UwsUnavailableError';
  constructor(options?: { cause?: unknown }) {
    super(
      'LEV_ERR_ENGINE_UWS_UNAVAILABLE',
      'transport is "uws" but the native uWebSockets.js binary does not load here (see the cause); use transport "auto" or "node"',
      options,
    );
  }
}

/** A gateway could not listen on its host and port. */
export class ListenError extends EngineError {
  override readonly name = 'ListenError';
  constructor(host: string, port: number, options?: { cause?: unknown }) {
    super('LEV_ERR_ENGINE_LISTEN_FAILED', `could not listen on ${host}:${port}`, options);
  }
}

/** A game service (GameDefinition.services) failed to start; the server does not start either. */
export class ServiceStartError extends EngineError {
  override readonly name = 'ServiceStartError';
  constructor(service: string, options?: { cause?: unknown }) {
    super('LEV_ERR_ENGINE_SERVICE_START_FAILED', `the game service "${service}" failed to start`, options);
  }
}

/** A call between threads got no answer in time (the other thread is stalled or overloaded). */
export class RpcTimeoutError extends EngineError {
  override readonly name = 'RpcTimeoutError';
  constructor(peer: string, method: string, timeoutMs: number) {
    super('LEV_ERR_ENGINE_RPC_TIMEOUT', `${peer} did not answer "${method}" within ${timeoutMs} ms`);
  }
}

/** A call between threads failed because the other thread is gone (it exited or crashed). */
export class RpcClosedError extends EngineError {
  override readonly name = 'RpcClosedError';
  constructor(peer: string, method: string) {
    super('LEV_ERR_ENGINE_RPC_CLOSED', `${peer} is gone; "${method}" was not answered`);
  }
}

/** A call between threads reached its handler, which failed; `remoteCode` is its error's code. */
export class RpcRemoteError extends EngineError {
  override readonly name = 'RpcRemoteError';
  readonly remoteCode: string | undefined;
  constructor(peer: string, method: string, message: string, remoteCode: string | undefined) {
    super('LEV_ERR_ENGINE_RPC_FAILED', `${peer} failed "${method}": ${message}`);
    this.remoteCode = remoteCode;
  }
}

/**
 * A record too large for the input ring between a gateway and a shard: a player whose saved state
 * is larger than half the ring cannot join (the login fails; nothing else is affected).
 */
export class RingRecordTooLargeError extends EngineError {
  override readonly name = 'RingRecordTooLargeError';
  constructor(bytes: number, capacity: number) {
    super(
      'LEV_ERR_ENGINE_RECORD_TOO_LARGE',
      `an input record of up to ${bytes} bytes does not fit the ${capacity}-byte ring between gateway and shard`,
    );
  }
}

/** A worker thread (gateway or shard) failed to start. */
export class WorkerStartError extends EngineError {
  override readonly name = 'WorkerStartError';
  constructor(what: string, options?: { cause?: unknown }) {
    super('LEV_ERR_ENGINE_WORKER_START_FAILED', `${what} failed to start`, options);
  }
}

/** A shard worker threw or exited; the supervisor restarts it. */
export class ShardCrashedError extends EngineError {
  override readonly name = 'ShardCrashedError';
  constructor(shard: number, options?: { cause?: unknown }) {
    super('LEV_ERR_ENGINE_SHARD_CRASHED', `shard ${shard} crashed`, options);
  }
}

/**
 * A gateway thread failed (an uncaught error): it closed its sockets and ended, and the pool
 * restarts it on the same port; its players are held for the grace period.
 */
export class GatewayCrashedError extends EngineError {
  override readonly name = 'GatewayCrashedError';
  constructor(gateway: number, options?: { cause?: unknown }) {
    super('LEV_ERR_ENGINE_GATEWAY_CRASHED', `gateway ${gateway} crashed`, options);
  }
}

/** A shard kept crashing: the supervisor gave up restarting it. */
export class ShardRestartLimitError extends EngineError {
  override readonly name = 'ShardRestartLimitError';
  constructor(shard: number, restarts: number, windowMs: number) {
    super(
      'LEV_ERR_ENGINE_SHARD_RESTART_LIMIT',
      `shard ${shard} crashed ${restarts} times within ${windowMs} ms; not restarting it again`,
    );
  }
}

/** The game module could not be loaded or is not a valid game definition. */
export class GameLoadError extends EngineError {
  override readonly name = 'GameLoadError';
  constructor(specifier: string, reason: string, options?: { cause?: unknown }) {
    super('LEV_ERR_ENGINE_GAME_LOAD_FAILED', `game "${specifier}" could not be loaded: ${reason}`, options);
  }
}

/** The game definition is inconsistent (duplicate command names, unknown start zone, ...). */
export class GameDefinitionError extends EngineError {
  override readonly name = 'GameDefinitionError';
  constructor(message: string) {
    super('LEV_ERR_ENGINE_GAME_INVALID', message);
  }
}

/** A command handler failed on purpose: the message goes to the player in the reply. */
export class CommandError extends EngineError {
  override readonly name = 'CommandError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_ENGINE_COMMAND_FAILED', message, options);
  }
}

/** `movePlayer` named a zone the game does not declare. */
export class UnknownZoneError extends EngineError {
  override readonly name = 'UnknownZoneError';
  constructor(zone: string) {
    super('LEV_ERR_ENGINE_UNKNOWN_ZONE', `unknown zone "${zone}"`);
  }
}

/**
 * A move into a zone of the game that no shard of this node runs: on a cluster node, a zone held by
 * another node, or one moving between nodes.
 */
export class ZoneNotHereError extends EngineError {
  override readonly name = 'ZoneNotHereError';
  constructor(zone: string) {
    super('LEV_ERR_ENGINE_ZONE_NOT_HERE', `zone "${zone}" is not running on this node`);
  }
}

/** The server was used in a state that does not allow it (listen twice, listen after close). */
export class ServerStateError extends EngineError {
  override readonly name = 'ServerStateError';
  constructor(message: string) {
    super('LEV_ERR_ENGINE_SERVER_STATE', message);
  }
}

/** Graceful shutdown passed its deadline; the remaining threads were terminated. */
export class ShutdownTimeoutError extends EngineError {
  override readonly name = 'ShutdownTimeoutError';
  constructor(deadlineMs: number) {
    super('LEV_ERR_ENGINE_SHUTDOWN_TIMEOUT', `graceful shutdown took longer than ${deadlineMs} ms`);
  }
}

// ─── Operations (config, auth, jobs, CLI) ────────────────────────────────────────────────────────

/** Where a configuration value came from, as error messages name it. */
export type ConfigSourceKind = 'default' | 'code' | 'file' | 'env' | 'flag';

/** One invalid configuration value: the key, what is wrong, and where the value came from. */
export interface ConfigIssue {
  /** Dotted key (`commandRate.perSecond`), or the raw name when it matches no option. */
  readonly key: string;
  readonly message: string;
  readonly source: ConfigSourceKind;
  /** Human description of the source: `environment variable LEVIATHAN_PORT`, `flag --port`, ... */
  readonly origin: string;
}

/** The configuration is invalid; `issues` lists every problem found, not just the first. */
export class ConfigInvalidError extends EngineError {
  override readonly name = 'ConfigInvalidError';
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((i) => `${i.key}: ${i.message} (from ${i.origin})`);
    super(
      'LEV_ERR_CONFIG_INVALID',
      issues.length === 1
        ? `invalid configuration: ${lines[0]}`
        : `invalid configuration:\n  ${lines.join('\n  ')}`,
    );
    this.issues = issues;
  }
}

/** The configuration file could not be read or parsed. */
export class ConfigFileError extends EngineError {
  override readonly name = 'ConfigFileError';
  readonly file: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super('LEV_ERR_CONFIG_FILE', `configuration file ${file}: ${reason}`, options);
    this.file = file;
  }
}

/** The HMAC secret is missing or too short to be safe. */
export class AuthSecretError extends EngineError {
  override readonly name = 'AuthSecretError';
  constructor(message: string) {
    super('LEV_ERR_AUTH_SECRET_INVALID', message);
  }
}

/** `signHmacToken` was given something it cannot sign (bad username, roles or lifetime). */
export class AuthTokenSignError extends EngineError {
  override readonly name = 'AuthTokenSignError';
  constructor(message: string) {
    super('LEV_ERR_AUTH_SIGN_INVALID', message);
  }
}

/** A custom verifier could not be loaded, or does not implement `AuthVerifier`. */
export class AuthVerifierError extends EngineError {
  override readonly name = 'AuthVerifierError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_AUTH_VERIFIER_INVALID', message, options);
  }
}

/** The job pool's queue is full; the job was not run. */
export class JobQueueFullError extends EngineError {
  override readonly name = 'JobQueueFullError';
  constructor(maxQueue: number, options?: { cause?: unknown }) {
    super(
      'LEV_ERR_JOB_QUEUE_FULL',
      `the job queue is full (${maxQueue} waiting); the job was not run`,
      options,
    );
  }
}

/** A job threw, or its worker died; `cause` is the original error. */
export class JobFailedError extends EngineError {
  override readonly name = 'JobFailedError';
  readonly task: string;
  constructor(task: string, options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super('LEV_ERR_JOB_FAILED', `job ${task} failed${reason}`, options);
    this.task = task;
  }
}

/** A job module does not export a function to run. */
export class JobTaskInvalidError extends EngineError {
  override readonly name = 'JobTaskInvalidError';
  constructor(task: string, reason: string) {
    super('LEV_ERR_JOB_TASK_INVALID', `job module ${task} ${reason}`);
  }
}

/** `run()` on a job pool that is closing or closed. */
export class JobPoolClosedError extends EngineError {
  override readonly name = 'JobPoolClosedError';
  constructor() {
    super('LEV_ERR_JOB_POOL_CLOSED', 'the job pool is closed');
  }
}

/** The command line is wrong: unknown command, flag or argument. */
export class CliUsageError extends EngineError {
  override readonly name = 'CliUsageError';
  constructor(message: string) {
    super('LEV_ERR_CLI_USAGE', message);
  }
}
