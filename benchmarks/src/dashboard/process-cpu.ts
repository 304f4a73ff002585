import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of every thread of process `pid` so far, in ns, from the scheduler's own accounting
 * (/proc/<pid>/task/<tid>/schedstat: nanoseconds, where /proc/<pid>/stat counts 10 ms ticks).
 * Threads that ended between readings take their time with them; the engine's threads live as
 * long as the server.
 */
export function processCpuNs(pid: number): number {
  let total = 0;
  for (const ns of cpuNsByThread(pid).values()) total += ns;
  return total;
}

/** The same, per thread (by thread id): where a difference between two windows went. */
export function cpuNsByThread(pid: number): Map<string, number> {
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
