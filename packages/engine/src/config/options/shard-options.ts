import { type DefaultContext, type OptionSpec, option } from '../option-spec.js';
import { defaultGatewayThreads } from './network-options.js';

/**
 * The shards' default: the cores the gateway threads leave, at least one, so that no busy thread
 * waits for a core by default, and at least the shards that `zoneShards` places zones on.
 * resolveConfig computes it from the gateway threads and the placements resolved (set or
 * default); the spec's default below assumes the defaults.
 *
 * Why not one shard per core: a gateway thread is as busy as a shard or more (it does the socket
 * work of every command), and a shard costs per tick whatever its load. Measured on a 2-core VM
 * (benchmarks/src/macro/thread-cpu-probe.ts: 2,000 commands/s, 10 Hz, three rounds against the
 * raw uWebSockets.js echo answering at the tick, in each run): with two shards beside one gateway
 * thread, the engine took 36.4–43.1 µs of CPU per command, each shard 2.9–3.2 (the echo 26.0–36.1
 * in that run); with one, 28.4–35.5, the shard 2.4–2.6 (the echo 23.5–24.2 in its run). One shard
 * did the work of two for the cost of one: most of a shard's CPU is its ticks, not its commands.
 */
export function defaultShards(
  cores: number,
  gatewayThreads: number,
  zoneShards: Readonly<Record<string, unknown>> = {},
): number {
  // Never fewer than the shards `zoneShards` places zones on: a world that pins a zone to shard 1
  // runs on a small machine too. (A `shards` set below that is still refused.)
  let placed = 0;
  for (const shard of Object.values(zoneShards))
    if (typeof shard === 'number' && Number.isInteger(shard)) placed = Math.max(placed, shard + 1);
  return Math.max(1, cores - gatewayThreads, placed);
}

/** The shards: how many threads own the zones and run the tick loop, and how fast they tick. */
export const SHARD_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'shards',
    type: 'integer',
    description:
      'Shard worker threads, each owning a set of zones and running the tick loop. The default leaves a core to each gateway thread, and is never fewer than the shards zoneShards places zones on.',
    unit: 'threads',
    default: ({ cores }: DefaultContext) => defaultShards(cores, defaultGatewayThreads(cores)),
    defaultText: 'cores − gatewayThreads, at least 1',
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
