import { StoreConfigError } from '../errors.js';
import { EmbeddedStore } from './embedded/embedded-store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import type { Store, StoreConfig } from './store.js';
import type { StoreMetrics } from './store-metrics.js';

/**
 * Opens the configured store, migrated and ready: the embedded one by default (no server needed),
 * Postgres when the config says `kind: 'postgres'` with a URL.
 */
export async function createStore(
  config: StoreConfig = { kind: 'embedded' },
  metrics?: StoreMetrics,
): Promise<Store> {
  switch (config.kind) {
    case 'embedded':
      return EmbeddedStore.open({
        ...(config.dataDir === undefined ? {} : { dataDir: config.dataDir }),
        ...(metrics ? { metrics } : {}),
      });
    case 'postgres': {
      if (!config.url) throw new StoreConfigError('store.kind is postgres but store.url is empty');
      if (!/^postgres(ql)?:\/\//.test(config.url))
        throw new StoreConfigError('store.url must start with postgres://');
      return PostgresStore.open({
        url: config.url,
        ...(config.socketDir === undefined ? {} : { socketDir: config.socketDir }),
        ...(config.maxConnections === undefined ? {} : { maxConnections: config.maxConnections }),
        ...(config.migrate === undefined ? {} : { migrate: config.migrate }),
        ...(metrics ? { metrics } : {}),
      });
    }
    default:
      throw new StoreConfigError(`unknown store kind ${JSON.stringify((config as { kind: unknown }).kind)}`);
  }
}
