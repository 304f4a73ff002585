import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of each thread of process `pid` (`self`: this process) so far, in ns, from the
 * scheduler's own accounting (/proc/<pid>/task/<tid>/schedstat: nanoseconds, where
 * /proc/<pid>/stat counts 10 ms ticks). A thread that ended between two readings takes its time
 * with it: compare readings of processes whose threads live as long as they do.
 */
export function cpuNsByThread(pid: number | 'self'): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(tid, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** CPU time of every thread of `pid` so far, in ns. */
export function cpuNs(pid: number): number {
  let ns = 0;
  for (const t of cpuNsByThread(pid).values()) ns += t;
  return ns;
}
