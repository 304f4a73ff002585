import {
  AggregatorRegistry,
  Gauge,
  type MetricObjectWithValues,
  type MetricValue,
  type Registry,
} from 'prom-client';

/** One thread's registry as JSON: what a worker posts to the main thread for `/metrics`. */
export type ThreadMetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/**
 * A thread's metrics as plain JSON (structured-clone safe), to post to the main thread. Runs the
 * metrics' `collect` callbacks (event-loop lag, heap, RSS), so call it once per scrape.
 */
export function collectThreadMetrics(registry: Registry): Promise<ThreadMetricsSnapshot> {
  return registry.getMetricsAsJSON() as Promise<ThreadMetricsSnapshot>;
}

/**
 * Merges every thread's snapshot into one Prometheus text exposition (format 0.0.4), the body of
 * `/metrics`. Counters and histograms are summed; gauges merge as each declares (see
 * thread-metrics.ts); `leviathan_bytes_per_player` is computed from the merged RSS and player count.
 */
export async function aggregateMetrics(snapshots: readonly ThreadMetricsSnapshot[]): Promise<string> {
  const registry = aggregateRegistry(snapshots);
  return registry.metrics();
}

/** The merged registry itself, for callers that want JSON or to add metrics. */
export function aggregateRegistry(snapshots: readonly ThreadMetricsSnapshot[]): Registry {
  const registry = AggregatorRegistry.aggregate(snapshots as ThreadMetricsSnapshot[]) as Registry;
  const rss = maxOf(snapshots, 'leviathan_rss_bytes');
  const players = sumOf(snapshots, 'leviathan_connected_players');
  if (rss !== undefined) {
    new Gauge({
      name: 'leviathan_bytes_per_player',
      help: 'Resident memory per connected player (RSS / connected players; 0 with no player)',
      registers: [registry],
    }).set(players > 0 ? Math.round(rss / players) : 0);
  }
  return registry;
}

function valuesOf(snapshots: readonly ThreadMetricsSnapshot[], name: string): number[] {
  const out: number[] = [];
  for (const snapshot of snapshots) {
    for (const metric of snapshot) {
      if (metric.name !== name) continue;
      for (const v of metric.values) out.push(v.value);
    }
  }
  return out;
}

function maxOf(snapshots: readonly ThreadMetricsSnapshot[], name: string): number | undefined {
  const values = valuesOf(snapshots, name);
  return values.length === 0 ? undefined : Math.max(...values);
}

function sumOf(snapshots: readonly ThreadMetricsSnapshot[], name: string): number {
  return valuesOf(snapshots, name).reduce((a, b) => a + b, 0);
}
