export { createJobPool, type JobPool, type JobPoolOptions } from './job-pool.js';
export { createShardJobPool, shardJobThreads } from './shard-job-pool.js';
