import type { EngineConfig } from '../config/engine-config.js';
import type { ThreadMetrics } from '../metrics/thread-metrics.js';
import { createJobPool, type JobPool } from './job-pool.js';

/**
 * The job pool of one shard worker (its `ctx.jobs`), sized so that all shards together stay
 * within `jobs.maxThreads`: each shard gets an equal share, at least one thread. Threads start on
 * the first job and exit after `jobs.idleTimeoutMs` idle, so a game that never runs jobs costs no
 * thread. Close it when the shard stops.
 */
export function createShardJobPool(
  config: Pick<EngineConfig, 'jobs' | 'shards'>,
  metrics?: Pick<ThreadMetrics, 'jobWait' | 'jobRun'>,
): JobPool {
  return createJobPool({
    maxThreads: shardJobThreads(config),
    maxQueue: config.jobs.maxQueue,
    idleTimeoutMs: config.jobs.idleTimeoutMs,
    ...(metrics ? { metrics } : {}),
  });
}

/** Threads of one shard's pool: ⌊jobs.maxThreads / shards⌋, at least 1. */
export function shardJobThreads(config: Pick<EngineConfig, 'jobs' | 'shards'>): number {
  return Math.max(1, Math.floor(config.jobs.maxThreads / config.shards));
}
