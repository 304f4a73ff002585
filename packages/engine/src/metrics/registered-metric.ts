import type { Registry } from 'prom-client';

/**
 * The metric named `name` in `registry`, made by `make` the first time. Several parts of a thread
 * (the store, the write-behind, the cluster, the thread's own set) define their metrics in one
 * registry, and some are set up more than once; prom-client throws on a second registration.
 */
export function registeredMetric<M>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}
