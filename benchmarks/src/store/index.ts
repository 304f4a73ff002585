import { startThrowawayCluster, type ThrowawayCluster } from '@leviathan/test-support';
import type { BenchResult } from './bench-result.js';
import { measureEmbeddedFootprint } from './embedded-footprint.js';
import { measureSaves } from './write-behind-saves.js';

export type { BenchResult } from './bench-result.js';

/**
 * Every store benchmark. Postgres comes from DATABASE_URL, else a throwaway cluster on loopback
 * (fsync off, like the tests: this compares code paths, not disks); without Postgres binaries only
 * the embedded figures are produced.
 */
export async function runStoreBenchmarks(): Promise<BenchResult[]> {
  let cluster: ThrowawayCluster | undefined;
  let url = process.env.DATABASE_URL;
  if (!url) {
    try {
      cluster = await startThrowawayCluster();
      url = cluster.url;
    } catch (error) {
      console.warn(`[bench] no Postgres (${(error as Error).message}): embedded figures only`);
    }
  }
  try {
    return [...(await measureSaves(url)), ...measureEmbeddedFootprint()];
  } finally {
    cluster?.stop();
  }
}
