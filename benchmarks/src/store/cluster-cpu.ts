import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * CPU time used so far by a local Postgres cluster: the postmaster and every process it started
 * (backends, WAL writer, background writer, checkpointer), from Linux's /proc/<pid>/schedstat (time
 * on a CPU, in nanoseconds; Postgres processes are single-threaded). A process born between two
 * readings counts whole, which is right: all its CPU falls in between. Undefined where it cannot
 * be read (not Linux, not the cluster's machine).
 */
export function clusterCpuNs(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((p) => p !== '');
    let ns = 0;
    for (const pid of [String(postmaster), ...children]) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The process exited between the two reads: its CPU is lost to both readings alike.
      }
    }
    return ns;
  } catch {
    return undefined;
  }
}

/** CPU time of this process (every thread, garbage collection included), in nanoseconds. */
export function processCpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}
