import { StoreConfigError } from '../errors.js';
import { EmbeddedStore } from './embedded/embedded-store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import type { Store, StoreOptions } from './store.js';
import type { StoreMetrics } from './store-metrics.js';

/**
 * Opens the configured store, migrated and ready: the embedded one by default (no server needed),
 * Postgres when `kind` is `postgres` (a URL is then required).
 */
export async function createStore(options: StoreOptions = {}, metrics?: StoreMetrics): Promise<Store> {
  const kind = options.kind ?? 'embedded';
  if (kind === 'embedded') {
    return EmbeddedStore.open({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.sqliteDriver === undefined ? {} : { driver: options.sqliteDriver }),
      ...(metrics ? { metrics } : {}),
    });
  }
  if (kind !== 'postgres')
    throw new StoreConfigError(`unknown store kind ${JSON.stringify(kind)}: embedded or postgres`);
  if (!options.url) throw new StoreConfigError('store.kind is postgres but store.url is empty');
  if (!/^postgres(ql)?:\/\//.test(options.url))
    throw new StoreConfigError('store.url must start with postgres://');
  return PostgresStore.open({
    url: options.url,
    ...(options.socketDir === undefined ? {} : { socketDir: options.socketDir }),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    ...(options.migrate === undefined ? {} : { migrate: options.migrate }),
    ...(metrics ? { metrics } : {}),
  });
}
