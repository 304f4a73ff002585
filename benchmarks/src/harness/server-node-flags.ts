import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Node's flags for a benchmark's server process (main, gateways, shards): `--no-memory-reducer`,
 * and more from the environment.
 *
 * `--no-memory-reducer` makes the main thread's isolate follow the engine's own default
 * (`v8MemoryReducer: false`), which reaches only the isolates created after the server starts
 * (packages/engine/src/server/v8-flags.ts). Left on, the main isolate's reducer runs its
 * collections once, about 8 s after the logins that grew its heap, which lands in the macro
 * suite's window: two full collections 0.6 s apart at 16.3–17.1 s (`--trace-gc`, Node 20 and 22),
 * whose concurrent marking kept V8's four helper threads busy. Measured on Node 22 (the engine
 * with and without the flag in alternating order, 7 windows each, per-thread CPU over the window):
 * main and the helpers 1.1–6.9 µs per command without it (1.1 in the one window the collections
 * missed), 0.7–0.9 with it. It is start-up work, not a command's, and both servers get the flag,
 * so the raw echo's reference runs under the same V8 settings.
 *
 * From the environment:
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
    '--no-memory-reducer',
    ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []),
    ...(process.env.LEVIATHAN_BENCH_PERF_MAP === '1'
      ? ['--perf-basic-prof', '--no-logfile-per-isolate', `--logfile=${v8Log}`]
      : []),
    ...(process.env.LEVIATHAN_BENCH_SERVER_FLAGS ?? '').split(' ').filter((flag) => flag !== ''),
  ];
}
