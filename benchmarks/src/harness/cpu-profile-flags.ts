/**
 * Node's flags for a CPU profile of every thread of a benchmark's server (main, gateways, shards),
 * written when it stops, when LEVIATHAN_BENCH_CPU_PROF_DIR names a directory; open them in
 * Chrome's DevTools or speedscope.
 */
export function cpuProfileFlags(): string[] {
  const dir = process.env.LEVIATHAN_BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
