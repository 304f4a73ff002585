import { startThrowawayCluster, type ThrowawayCluster } from '@leviathan/test-support';
import type { BenchResult } from './bench-result.js';
import { measureEmbeddedFootprint } from './embedded-footprint.js';
import { measureSaves } from './write-behind-saves.js';

export type { BenchResult } from './bench-result.js';

/**
 * Every store benchmark. Postgres comes from DATABASE_URL, else a throwaway cluster on loopback
 * (fsync off, like the tests: this compares code paths, not disks); without Postgres binaries only
 * the embedded figures are produced. With DATABASE_URL the server's CPU cannot be read, so only
 * the (informational) wall-clock figure of the Postgres store is produced.
 *
 * Write-behind saves, why they were not reproducible and what changed. The figure used to be
 * saves per second of two 10-round windows per side (0.2–0.6 s each, taken seconds apart), the
 * best of two: over 11 runs on the shared 2-core machine (load average 1.4–4.3) the Postgres ratio
 * ranged 0.93–1.83 and the embedded one 0.76–2.87, so a baseline of 1.15 failed at 1.65 on a quiet
 * machine. Each window was long enough for the machine's load to change between the subject's
 * and the reference's, and short enough for one scheduler hiccup or one autovacuum pass to decide
 * it. Now (write-behind-saves.ts): single rounds of the two sides alternate (41 measured pairs
 * after 4 warm-up rounds each), each round timed on its own, and the pair with the median ratio
 * is the figure; the gate is CPU per save (this process plus the Postgres cluster's processes),
 * which the other work on the machine inflates less than wall time; autovacuum is off on the
 * benchmark's own cluster and both tables are vacuumed between pairs, untimed. Over 9 runs at
 * load average 5.2–9.1 (other builds running): Postgres CPU ratio 1.24–1.63, embedded 1.50–1.66;
 * the wall-clock saves per second (kept, informational) 1.27–1.64 and 1.28–1.96. In the 5
 * interleaved runs of the recording (load 3.5–8.9): Postgres 1.70–1.87, embedded 1.32–1.67, both
 * within the +40 % floor. The reference now times JSON.stringify of each character as the subject
 * does (both must), and both sides are warmed up before any round is timed.
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
    return [
      ...(await measureSaves(url, cluster === undefined ? {} : { clusterDataDir: cluster.dataDir })),
      ...measureEmbeddedFootprint(),
    ];
  } finally {
    cluster?.stop();
  }
}
