export { AUTH_MODES, CONFIG_OPTIONS, LOG_LEVELS, type OptionSpec, STORE_KINDS } from './config-options.js';
export type {
  AuthConfig,
  AuthMode,
  EngineConfig,
  EngineConfigInput,
  JobsConfig,
  LogConfig,
  LogLevel,
  RateConfig,
  StoreConfig,
  StoreKind,
  TlsConfig,
} from './engine-config.js';
export { redactConfig, redactUrl } from './redact-config.js';
export {
  type ConfigSources,
  isResolvedConfig,
  type ResolvedConfig,
  resolveConfig,
  resolveConfigDetailed,
} from './resolve-config.js';
