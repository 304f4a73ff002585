import type { SqliteDriverSetting, StoreKind } from '../engine-config.js';
import { type OptionSpec, option } from '../option-spec.js';

export const STORE_KINDS: readonly StoreKind[] = Object.freeze(['embedded', 'postgres', 'none']);
export const SQLITE_DRIVERS: readonly SqliteDriverSetting[] = Object.freeze([
  'auto',
  'better-sqlite3',
  'node:sqlite',
]);

/** Persistence: which store, where its data lives, and how often the write-behind flushes to it. */
export const STORE_OPTIONS: readonly OptionSpec[] = Object.freeze([
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
]);
