/**
 * @leviathan/engine: the embedding API. `createServer(options).listen()` runs a server; games are
 * written with `defineGame` and `defineCommand` (see README.md).
 */

export * from './auth/accounts/index.js';
export type { AuthRequest, AuthResult, AuthVerifier } from './auth/auth-verifier.js';
export { devTokenVerifier } from './auth/dev-token-verifier.js';
export { signHmacToken } from './auth/hmac-token.js';
export { hmacVerifier } from './auth/hmac-verifier.js';
export type { EngineConfig, EngineConfigInput } from './config/engine-config.js';
export { resolveConfig } from './config/engine-config.js';
export * from './errors.js';
export * from './game/index.js';
export type {
  PlayerData,
  PlayerSnapshot as PlayerStateSnapshot,
  StateBatch as ShardStateBatch,
  WorldRecord as WorldStateRecord,
} from './ipc/batches.js';
export { shardOfZone } from './ipc/zone-map.js';
export type { LogFn, Logger } from './logging/logger.js';
export { LOG_REDACT_PATHS } from './logging/redaction.js';
export {
  type CreateServerOptions,
  createServer,
  type LeviathanServer,
  type ServerEvent,
} from './server/create-server.js';
export type { PersistenceHooks } from './server/persistence-hooks.js';
export * from './store/index.js';
export const VERSION = '0.1.0';
