import type { Store } from './store.js';
import type { StoreMetrics } from './store-metrics.js';
import type { WriteBehindBacklog } from './write-behind-backlog.js';
import type { WriteBehindLogger } from './write-behind-types.js';

/** Least time between two error lines about a backlog that stays at its bound, in ms. */
const SATURATED_LOG_EVERY_MS = 10_000;

/**
 * The write-behind's gauges (`leviathan_db_pending_dirty`, `leviathan_db_pool_connections`), set
 * at each interval and after each flush, and the error line while the backlog is at its bound.
 */
export class WriteBehindGauges {
  readonly #metrics: StoreMetrics | undefined;
  readonly #store: Store;
  readonly #log: WriteBehindLogger | undefined;
  #lastBacklogLog = 0;

  constructor(metrics: StoreMetrics | undefined, store: Store, log: WriteBehindLogger | undefined) {
    this.#metrics = metrics;
    this.#store = store;
    this.#log = log;
  }

  update(backlog: WriteBehindBacklog): void {
    if (!this.#metrics) return;
    this.#metrics.pendingDirty.set(backlog.size);
    const pool = this.#store.poolStats();
    this.#metrics.poolConnections.set({ state: 'active' }, pool.active);
    this.#metrics.poolConnections.set({ state: 'idle' }, pool.idle);
    this.#metrics.poolConnections.set({ state: 'waiting' }, pool.waiting);
    if (backlog.saturated && Date.now() - this.#lastBacklogLog > SATURATED_LOG_EVERY_MS) {
      this.#lastBacklogLog = Date.now();
      this.#log?.error({ pending: backlog.size, bound: backlog.bound }, 'write-behind backlog at its bound');
    }
  }
}
