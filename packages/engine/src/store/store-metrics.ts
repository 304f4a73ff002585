import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { registeredMetric } from '../metrics/registered-metric.js';

/**
 * The store's Prometheus metrics (listed in docs/persistence.md). They live in the main thread's
 * registry, where the store and the write-behind run.
 */
export interface StoreMetrics {
  /** leviathan_db_query_duration_seconds{operation}: every store call, including failed ones. */
  readonly queryDuration: Histogram<'operation'>;
  /** leviathan_db_errors_total{operation}: failed calls, conflicts and backlog refusals. */
  readonly errors: Counter<'operation'>;
  /** leviathan_db_flush_batch_size: entities written per write-behind flush. */
  readonly flushBatchSize: Histogram<string>;
  /** leviathan_db_pending_dirty: entities waiting in the write-behind for a flush. */
  readonly pendingDirty: Gauge<string>;
  /** leviathan_db_pool_connections{state}: active, idle, waiting. */
  readonly poolConnections: Gauge<'state'>;
}

/**
 * Defines the metrics in `registry`, or returns the ones already there, so that the store, the
 * write-behind and the engine's own metric set can share one registry without duplicate names.
 */
export function createStoreMetrics(registry: Registry): StoreMetrics {
  const get = <M>(name: string, make: () => M): M => registeredMetric(registry, name, make);
  return {
    queryDuration: get(
      'leviathan_db_query_duration_seconds',
      () =>
        new Histogram({
          name: 'leviathan_db_query_duration_seconds',
          help: 'Duration of store operations, by operation',
          labelNames: ['operation'],
          // A PK lookup takes ~0.2 ms on loopback; a 1000-row flush ~15 ms; an outage hits timeouts.
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
          registers: [registry],
        }),
    ),
    errors: get(
      'leviathan_db_errors_total',
      () =>
        new Counter({
          name: 'leviathan_db_errors_total',
          help: 'Failed store operations, version conflicts and write-behind refusals, by operation',
          labelNames: ['operation'],
          registers: [registry],
        }),
    ),
    flushBatchSize: get(
      'leviathan_db_flush_batch_size',
      () =>
        new Histogram({
          name: 'leviathan_db_flush_batch_size',
          help: 'Entities written per write-behind flush',
          buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
          registers: [registry],
        }),
    ),
    pendingDirty: get(
      'leviathan_db_pending_dirty',
      () =>
        new Gauge({
          name: 'leviathan_db_pending_dirty',
          help: 'Entities changed in memory and not yet saved (the write-behind backlog)',
          registers: [registry],
        }),
    ),
    poolConnections: get(
      'leviathan_db_pool_connections',
      () =>
        new Gauge({
          name: 'leviathan_db_pool_connections',
          help: 'Database connections by state (active, idle, waiting)',
          labelNames: ['state'],
          registers: [registry],
        }),
    ),
  };
}

/** Runs `fn`, recording its duration under `operation`, and counting it as an error if it throws. */
export async function timed<T>(
  metrics: StoreMetrics | undefined,
  operation: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (!metrics) return fn();
  const end = metrics.queryDuration.startTimer({ operation });
  try {
    return await fn();
  } catch (error) {
    metrics.errors.inc({ operation });
    throw error;
  } finally {
    end();
  }
}
