import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Node's flags for a benchmark's server process (main, gateways, shards), from the environment:
 * - LEVIATHAN_BENCH_CPU_PROF_DIR names a directory: a V8 CPU profile of each thread, written when
 *   the server stops (Chrome's DevTools or speedscope open them);
 * - LEVIATHAN_BENCH_PERF_MAP=1: `--perf-basic-prof`, so that Linux `perf record -p <pid>` names
 *   the server's JavaScript functions beside what a V8 CPU profile shows as one native frame or
 *   not at all: the kernel's work inside a system call (TCP on loopback), V8's own C++ (promise
 *   jobs, handle scopes) and its helper threads (garbage collection, compilation);
 * - LEVIATHAN_BENCH_SERVER_FLAGS: more flags, separated by spaces, for experiments on the server
 *   alone (`--max-semi-space-size=1` to see what V8's young generation holds of a memory figure).
 */
export function serverNodeFlags(): string[] {
  // --perf-basic-prof also turns on V8's event log, by default one file per thread in the working
  // directory (the benchmarks' folder): one file, in the temporary directory.
  const v8Log = join(tmpdir(), 'leviathan-bench-v8.log');
  const dir = process.env.LEVIATHAN_BENCH_CPU_PROF_DIR;
  return [
    ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []),
    ...(process.env.LEVIATHAN_BENCH_PERF_MAP === '1'
      ? ['--perf-basic-prof', '--no-logfile-per-isolate', `--logfile=${v8Log}`]
      : []),
    ...(process.env.LEVIATHAN_BENCH_SERVER_FLAGS ?? '').split(' ').filter((flag) => flag !== ''),
  ];
}
