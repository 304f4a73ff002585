import { type DefaultContext, type OptionSpec, option } from '../option-spec.js';

/**
 * The job pool, for CPU-heavy work off the tick: its threads, its queue, and when an idle thread
 * exits.
 */
export const JOB_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'jobs.maxThreads',
    type: 'integer',
    description:
      "Most job-pool worker threads over all shards (each shard's pool gets an equal share, at least one); they start on the first job.",
    unit: 'threads',
    default: ({ cores }: DefaultContext) => Math.max(1, Math.floor(cores / 2)),
    defaultText: 'max(1, ⌊cores / 2⌋)',
    min: 1,
    max: 256,
  }),
  option({
    key: 'jobs.maxQueue',
    type: 'integer',
    description: 'Most jobs waiting for a thread, per pool; further runs reject with LEV_ERR_JOB_QUEUE_FULL.',
    unit: 'jobs',
    default: 1024,
    min: 0,
    max: 10_000_000,
  }),
  option({
    key: 'jobs.idleTimeoutMs',
    type: 'integer',
    description: 'Idle time after which a job thread exits.',
    unit: 'milliseconds',
    default: 30_000,
    min: 0,
    max: 3_600_000,
  }),
]);
