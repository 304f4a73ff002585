/**
 * Every error class of @leviathan/engine. One base class, one class per failure, stable codes
 * (`LEV_ERR_ENGINE_*` for the runtime; other subsystems add their blocks at the end), `cause`
 * chaining. Each code is documented in docs/errors.md under `## @leviathan/engine`.
 */
export class EngineError extends Error {
  override readonly name: string = 'EngineError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

// ─── Runtime (gateway, shards, game API, server) ─────────────────────────────────────────────────

/** uWebSockets.js loaded its JavaScript fallback and `allowJsFallback` is off. */
export class UwsFallbackError extends EngineError {
  override readonly name = 'UwsFallbackError';
  constructor() {
    super(
      'LEV_ERR_ENGINE_UWS_FALLBACK',
      'uWebSockets.js is running its JavaScript fallback (the native binary did not load); set allowJsFallback to run anyway',
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

// ─── Store (persistence, migrations, write-behind, accounts) ─────────────────────────────────────

/** Base of every persistence failure: `instanceof StoreError` catches them all. */
export class StoreError extends EngineError {
  override readonly name: string = 'StoreError';
}

/** The database cannot be reached (refused, dropped, timed out, shutting down). Retryable. */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_STORE_UNAVAILABLE', message, options);
  }
}

/** The database refused a statement for another reason than availability. */
export class StoreQueryError extends StoreError {
  override readonly name = 'StoreQueryError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_STORE_QUERY_FAILED', message, options);
  }
}

/**
 * A versioned write found another version than it expected: another node (or a stale copy) saved
 * the entity in between. Nothing was overwritten.
 */
export class StoreConflictError extends StoreError {
  override readonly name = 'StoreConflictError';
  readonly key: string;
  readonly expectedVersion: number;
  readonly currentVersion: number;
  constructor(key: string, expectedVersion: number, currentVersion: number) {
    super(
      'LEV_ERR_STORE_VERSION_CONFLICT',
      `${key}: expected version ${expectedVersion}, the database has ${currentVersion}; not overwritten`,
    );
    this.key = key;
    this.expectedVersion = expectedVersion;
    this.currentVersion = currentVersion;
  }
}

/** A unique record (an account name) already exists. */
export class StoreDuplicateError extends StoreError {
  override readonly name = 'StoreDuplicateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_STORE_DUPLICATE', message, options);
  }
}

/** A batch handed to the store is malformed (duplicate keys, bad version, data not an object). */
export class StoreInvalidWriteError extends StoreError {
  override readonly name = 'StoreInvalidWriteError';
  constructor(message: string) {
    super('LEV_ERR_STORE_INVALID_WRITE', message);
  }
}

/** A migration file is missing or malformed, or applying or reverting one failed (rolled back). */
export class StoreMigrationError extends StoreError {
  override readonly name = 'StoreMigrationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_STORE_MIGRATION_FAILED', message, options);
  }
}

/** The write-behind backlog is at its bound: a new entity's snapshot was refused (logged, counted). */
export class StoreBacklogFullError extends StoreError {
  override readonly name = 'StoreBacklogFullError';
  constructor(limit: number, keys: readonly string[]) {
    super(
      'LEV_ERR_STORE_BACKLOG_FULL',
      `write-behind backlog at its bound of ${limit} entities; refused ${keys.length}: ${keys.slice(0, 10).join(', ')}`,
    );
  }
}

/** The store configuration is unusable (unknown kind, missing URL, unwritable data directory). */
export class StoreConfigError extends StoreError {
  override readonly name = 'StoreConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_STORE_CONFIG_INVALID', message, options);
  }
}

/** Account creation refused: the username breaks the rules or is taken, or the password is unfit. */
export class AccountError extends StoreError {
  override readonly name = 'AccountError';
  constructor(
    code: 'LEV_ERR_ACCOUNT_INVALID_USERNAME' | 'LEV_ERR_ACCOUNT_INVALID_PASSWORD' | 'LEV_ERR_ACCOUNT_EXISTS',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
