import type { MetricsSnapshot } from '../metrics/types.js';
import type { TestPlan } from '../options/plan.js';
import type { Slot } from '../schedule/slot.js';

/** workerData of a generator worker. */
export interface WorkerInit {
  index: number;
  /** file:// URL of the scenario module. */
  scenarioUrl: string;
  plan: TestPlan;
  slot: Slot;
  processSlot: Slot;
  /** One Int32Array cell per scenario, shared by the workers (shared-iterations). */
  sharedCounters: SharedArrayBuffer;
  /** Length of a metrics interval. @default 1000 (ms) */
  intervalMs: number;
  /** Tagged series to keep (from thresholds). */
  trackedSeries: string[];
  /** This worker's share of the process's `maxConnecting` (null: no bound). */
  maxConnecting: number | null;
  /** @see Runtime.lateStartMs */
  lateStartMs: number;
  /** What setup() returned, JSON round-tripped (k6: setup data is JSON); undefined without setup. */
  setupData: unknown;
}

/** Main → worker. */
export type ToWorker =
  | {
      type: 'start' /** Date.now() epoch of the test start, the same instant in every thread. */;
      epochMs: number;
    }
  | { type: 'stop' };

/** How a worker's own event loop did over an interval (self-monitoring). */
export interface LoopHealth {
  /** p99 event-loop delay, ms. */
  lagP99Ms: number;
  lagMaxMs: number;
}

/** Worker → main. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'load-error'; message: string; code?: string }
  | {
      type: 'interval';
      /** Interval number since the test start (0-based). */
      seq: number;
      metrics: MetricsSnapshot;
      errors: Record<string, number>;
      health: LoopHealth;
    }
  | {
      type: 'done';
      seq: number;
      metrics: MetricsSnapshot;
      errors: Record<string, number>;
      health: LoopHealth;
    };
