/**
 * What a thread that wakes at a tick rate and does nothing else costs in CPU per wake on this
 * machine: the floor under every shard thread's tick, whatever the engine does in it. Two worker
 * threads wake at 10 Hz and allocate a little each time (as a tick does), first on a libuv timer
 * (`setTimeout`, as the shards' tick loop does), then blocked in `Atomics.wait` with the same
 * timeout (no event loop between wakes). After a settle, every thread's CPU over a window (from
 * /proc/self/task/<tid>/schedstat) is printed per wake: the last two thread ids are the workers;
 * the others are this thread, V8's and libuv's helpers and, under tsx, its loader's.
 *
 *   pnpm exec tsx src/macro/idle-wake-probe.ts
 *
 * On the 2-core VM of docs/benchmarks.md (Node 20), with a timer: 140–490 µs per wake in each
 * worker, and V8's helper threads busy beside them (60–270 µs per wake each); blocked in
 * Atomics.wait: 40–160 µs per wake, the helpers idle. The macro suite's description cites it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const HZ = 10;
const SETTLE_MS = 8_000;
const WINDOW_MS = 6_000;

/** A tick: ten small objects, as a tick allocates a little. */
const TICK = 'const objects = []; for (let i = 0; i < 10; i++) objects.push({ i });';
/** Each worker's whole program, by how it waits for its next tick. */
const PROGRAMS = {
  timer: `const tick = () => { ${TICK} setTimeout(tick, ${1000 / HZ}); }; tick();`,
  atomics: `const cell = new Int32Array(new SharedArrayBuffer(4)); for (;;) { Atomics.wait(cell, 0, 0, ${1000 / HZ}); ${TICK} }`,
} as const;

function cpuNsByThread(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    out.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const [wait, program] of Object.entries(PROGRAMS)) {
  const workers = [0, 1].map(() => new Worker(program, { eval: true }));
  await sleep(SETTLE_MS);
  const before = cpuNsByThread();
  await sleep(WINDOW_MS);
  const wakes = (WINDOW_MS / 1000) * HZ;
  const perWake: string[] = [];
  for (const [tid, ns] of cpuNsByThread()) {
    const us = (ns - (before.get(tid) ?? 0)) / 1e3 / wakes;
    if (us >= 1) perWake.push(`${tid}: ${us.toFixed(0)}`);
  }
  console.log(`${wait}: µs of CPU per ${HZ} Hz wake, by thread: ${perWake.join(', ')}`);
  await Promise.all(workers.map((w) => w.terminate()));
}
