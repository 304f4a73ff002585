import type { Registry } from 'prom-client';
import type { Heartbeat } from '../ipc/heartbeat.js';
import {
  aggregateMetrics,
  collectThreadMetrics,
  type ThreadMetricsSnapshot,
} from '../metrics/aggregate-metrics.js';
import type { ThreadMetrics } from '../metrics/thread-metrics.js';
import type { ShardSupervisor } from '../supervisor/shard-supervisor.js';
import type { GatewayPool } from './gateway-pool.js';

/** Longest wait for a thread's metrics at a scrape, in ms: a stuck thread cannot stall `/metrics`. */
const METRICS_TIMEOUT_MS = 2_000;

export interface ScrapedParts {
  /** Main's own registry. */
  registry: Registry;
  metrics: ThreadMetrics;
  supervisor: ShardSupervisor;
  heartbeat: Heartbeat;
  gateways: GatewayPool;
}

/**
 * One `/metrics` answer for the whole server: main sets what only it knows (each shard's
 * liveness and tick age, from the supervisor and the shared heartbeat), then every thread's
 * registry is collected at once and merged (aggregate-metrics.ts).
 */
export async function scrapeThreads(parts: ScrapedParts): Promise<string> {
  const { metrics, supervisor, heartbeat, gateways } = parts;
  const now = performance.timeOrigin + performance.now();
  for (let s = 0; s < supervisor.count; s++) {
    const label = { shard: String(s) };
    const age = heartbeat.age(s, now);
    metrics.shardLastTickAge.set(label, Number.isFinite(age) ? age / 1000 : 0);
    metrics.shardUp.set(label, supervisor.isUp(s) ? 1 : 0);
    metrics.shardRestarts.inc(label, 0);
  }
  const shards: Array<Promise<unknown>> = [];
  for (let s = 0; s < supervisor.count; s++) shards.push(supervisor.metrics(s, METRICS_TIMEOUT_MS));
  const [own, fromGateways, fromShards] = await Promise.all([
    collectThreadMetrics(parts.registry),
    gateways.metrics(METRICS_TIMEOUT_MS),
    Promise.all(shards),
  ]);
  const snapshots: ThreadMetricsSnapshot[] = [own, ...fromGateways];
  for (const s of fromShards) if (Array.isArray(s)) snapshots.push(s as ThreadMetricsSnapshot);
  return aggregateMetrics(snapshots);
}
