/**
 * @leviathan/engine: `createServer(options).listen()` runs a server; games are written with
 * `defineGame` and `defineCommand` (the Game API). The store is at `@leviathan/engine/store`,
 * authentication (verifiers, tokens, accounts) at `@leviathan/engine/auth`.
 */

export type { AuthRequest, AuthResult, AuthVerifier } from './auth/auth-verifier.js';
export type { EngineConfig, EngineConfigInput } from './config/engine-config.js';
export { resolveConfig } from './config/engine-config.js';
export * from './errors.js';
export * from './game/index.js';
export type { PlayerData, PlayerSnapshot, StateBatch, WorldRecord } from './ipc/state-batch.js';
export type { LogFn, Logger } from './logging/logger.js';
export { LOG_REDACT_PATHS } from './logging/redaction.js';
export { createServer } from './server/create-server.js';
export type { PersistenceContext, PersistenceHooks } from './server/persistence-hooks.js';
export type { CreateServerOptions, LeviathanServer, ServerEvent } from './server/server-options.js';
