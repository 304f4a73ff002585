import { getHeapStatistics } from 'node:v8';
import { Gauge, type Registry } from 'prom-client';
import { registeredMetric } from './registered-metric.js';

/** The memory gauges of one thread's metrics (ThreadMetrics' `heapUsed`, `heapResident`, `rss`). */
export interface MemoryGauges {
  readonly heapUsed: Gauge<'thread'>;
  readonly heapResident: Gauge<'thread'>;
  readonly rss: Gauge;
}

/**
 * Defines the memory gauges in `registry`, read at scrape: the heap of `thread`'s own V8 isolate,
 * in use and held in memory (kept per thread by the merge), and the process's RSS (merged by max,
 * since every thread reads the same number).
 */
export function memoryGauges(registry: Registry, thread: string): MemoryGauges {
  const registers = [registry];
  const get = <M>(name: string, make: () => M): M => registeredMetric(registry, name, make);
  return {
    heapUsed: get(
      'leviathan_heap_used_bytes',
      () =>
        new Gauge({
          name: 'leviathan_heap_used_bytes',
          help: "V8 heap in use by each thread (sum them for the process's JavaScript heap)",
          labelNames: ['thread'],
          collect() {
            this.set({ thread }, getHeapStatistics().used_heap_size);
          },
          registers,
        }),
    ),
    heapResident: get(
      'leviathan_heap_resident_bytes',
      () =>
        new Gauge({
          name: 'leviathan_heap_resident_bytes',
          help: "V8 heap pages each thread's isolate holds in memory, in use or free",
          labelNames: ['thread'],
          collect() {
            this.set({ thread }, getHeapStatistics().total_physical_size);
          },
          registers,
        }),
    ),
    rss: get(
      'leviathan_rss_bytes',
      () =>
        new Gauge({
          name: 'leviathan_rss_bytes',
          help: 'Resident set size of the process',
          aggregator: 'max',
          collect() {
            this.set(process.memoryUsage.rss());
          },
          registers,
        }),
    ),
  };
}
