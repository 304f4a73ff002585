import type { BenchResult } from '../bench-result.js';
import { inputBatchingBenchmarks } from './input-batching.js';

/** The ipc suite: gateway → shard batching and routing against a message per command. */
export async function runIpcBenchmarks(): Promise<BenchResult[]> {
  return inputBatchingBenchmarks();
}
