import { type DefaultContext, type OptionSpec, option } from '../option-spec.js';

/** The shards: how many threads own the zones and run the tick loop, and how fast they tick. */
export const SHARD_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'shards',
    type: 'integer',
    description: 'Shard worker threads, each owning a set of zones and running the tick loop.',
    unit: 'threads',
    default: ({ cores }: DefaultContext) => Math.max(1, cores),
    defaultText: 'cores (os.availableParallelism())',
    min: 1,
    max: 256,
  }),
  option({
    key: 'tickHz',
    type: 'number',
    description: 'Tick rate of every shard.',
    unit: 'ticks per second',
    default: 10,
    min: 1,
    max: 1000,
  }),
]);
