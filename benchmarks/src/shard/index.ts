import type { BenchResult } from '../bench-result.js';
import { fanOutBenchmarks } from './fan-out.js';
import { tickBenchmarks } from './tick.js';

/** The shard suite: one tick of commands, and broadcast fan-out, each against the bare work. */
export async function runShardBenchmarks(): Promise<BenchResult[]> {
  return [...(await tickBenchmarks()), ...(await fanOutBenchmarks())];
}
