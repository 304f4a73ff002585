import type { OptionSpec } from './option-spec.js';
import { AUTH_OPTIONS } from './options/auth-options.js';
import { CLUSTER_OPTIONS } from './options/cluster-options.js';
import { DASHBOARD_OPTIONS } from './options/dashboard-options.js';
import { GAME_MODULE_OPTIONS } from './options/game-module-options.js';
import { JOB_OPTIONS } from './options/job-options.js';
import { LIMIT_OPTIONS } from './options/limit-options.js';
import { LOG_OPTIONS } from './options/log-options.js';
import { NETWORK_OPTIONS } from './options/network-options.js';
import { RUNTIME_OPTIONS } from './options/runtime-options.js';
import { SESSION_OPTIONS } from './options/session-options.js';
import { SHARD_OPTIONS } from './options/shard-options.js';
import { STORE_OPTIONS } from './options/store-options.js';

/**
 * The table of every configuration option: its type, bounds, default, environment variable and
 * flag. It drives parsing, validation, `leviathan serve --help` and docs/configuration.md, so
 * adding an option to its group in options/ is all it takes to make it configurable everywhere
 * (and the generated page goes stale until regenerated, which a test catches).
 *
 * The groups follow `EngineConfig`'s fields in order, and so does the table: its order is the
 * order of docs/configuration.md and of `--help`.
 */
export const CONFIG_OPTIONS: readonly OptionSpec[] = Object.freeze([
  ...NETWORK_OPTIONS,
  ...SHARD_OPTIONS,
  ...LIMIT_OPTIONS,
  ...AUTH_OPTIONS,
  ...SESSION_OPTIONS,
  ...GAME_MODULE_OPTIONS,
  ...STORE_OPTIONS,
  ...CLUSTER_OPTIONS,
  ...LOG_OPTIONS,
  ...DASHBOARD_OPTIONS,
  ...JOB_OPTIONS,
  ...RUNTIME_OPTIONS,
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
  ['dashboard.token', 'dashboard.tokenEnv'],
]);
