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
