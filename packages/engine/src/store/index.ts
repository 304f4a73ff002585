export { createStore } from './create-store.js';
export { EmbeddedStore, type EmbeddedStoreOptions } from './embedded/embedded-store.js';
export type { SqliteDriverName, SqliteDriverPreference } from './embedded/sqlite-driver.js';
export { loadMigrations, type Migration, migrationsRoot } from './migrations/migration-files.js';
export {
  type MigrateResult,
  type MigrationStatus,
  migrateDown,
  migrateUp,
  migrationStatus,
} from './postgres/postgres-migrator.js';
export { PostgresStore, type PostgresStoreOptions } from './postgres/postgres-store.js';
export type * from './store.js';
export { createStoreMetrics, type StoreMetrics } from './store-metrics.js';
export { StorePersistence, type StorePersistenceOptions } from './store-persistence.js';
export { WriteBehind } from './write-behind.js';
export type * from './write-behind-types.js';
