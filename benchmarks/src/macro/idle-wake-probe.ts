/**
 * What a thread that wakes at a tick rate and does nothing else costs in CPU per wake on this
 * machine: the floor under every shard thread's tick, whatever the engine does in it. Two worker
 * threads wake at 10 Hz and allocate a little each time (as a tick does), in three ways:
 * - `timer`: on a libuv timer (`setTimeout`), as the shards' tick loop does;
 * - `atomics`: blocked in `Atomics.wait` with the same timeout, the event loop never running;
 * - `turn`: blocked in `Atomics.wait`, then one turn of the event loop (`setImmediate`) per wake,
 *   which a shard would still need for its control messages, job results and a game's own
 *   asynchronous work.
 * V8 runs without its memory reducer, as the engine does by default (server/v8-flags.ts): with
 * it, full collections it schedules in the first seconds of each isolate fall in the window and
 * keep V8's helper threads busy, which the engine never sees. After a settle, every thread's CPU
 * over a window (from /proc/self/task/<tid>/schedstat) is printed per wake: the last two thread
 * ids are the workers; the others are this thread, V8's and libuv's helpers and, under tsx, its
 * loader's.
 *
 *   pnpm exec tsx src/macro/idle-wake-probe.ts
 *
 * On the 2-core VM of docs/benchmarks.md (Node 20), per wake in each worker, second passes of two
 * runs: timer 154–232 µs, atomics 79–139 µs, turn 121–236 µs; the helper threads idle in all
 * three. What a blocking wait saves is the event loop's turn, not the wake: a loop that blocks
 * between ticks would save about 90 µs per wake (1.8 ms of CPU a second for two shards at 10 Hz, 0.9 µs
 * per command at the macro suite's 2,000 commands/s) only if it could skip that turn on most
 * ticks. With the memory reducer on (MEMORY_REDUCER=1): timer 305–380 µs and turn 354–369 µs, with
 * four helper threads at 96–263 µs each beside them; atomics 68–110 µs.
 */
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { cpuNsByThread } from '../harness/thread-cpu.js';

const HZ = 10;
/** Each way runs twice, in turn: the first pass shares the process with its start (tsx, V8's compiles). */
const PASSES = 2;
const SETTLE_MS = 8_000;
const WINDOW_MS = 6_000;

/** A tick: ten small objects, as a tick allocates a little. */
const TICK = 'const objects = []; for (let i = 0; i < 10; i++) objects.push({ i });';
const CELL = 'const cell = new Int32Array(new SharedArrayBuffer(4));';
/** Each worker's whole program, by how it waits for its next tick. */
const PROGRAMS = {
  timer: `const tick = () => { ${TICK} setTimeout(tick, ${1000 / HZ}); }; tick();`,
  atomics: `${CELL} for (;;) { Atomics.wait(cell, 0, 0, ${1000 / HZ}); ${TICK} }`,
  turn: `${CELL} const tick = () => { Atomics.wait(cell, 0, 0, ${1000 / HZ}); ${TICK} setImmediate(tick); }; setImmediate(tick);`,
} as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// As the engine sets it: before any worker starts, for every isolate of the process.
if (process.env.MEMORY_REDUCER !== '1') setFlagsFromString('--no-memory-reducer');
for (let pass = 1; pass <= PASSES; pass++)
  for (const [wait, program] of Object.entries(PROGRAMS)) {
    const workers = [0, 1].map(() => new Worker(program, { eval: true }));
    await sleep(SETTLE_MS);
    const before = cpuNsByThread('self');
    await sleep(WINDOW_MS);
    const wakes = (WINDOW_MS / 1000) * HZ;
    const perWake: string[] = [];
    for (const [tid, ns] of cpuNsByThread('self')) {
      const us = (ns - (before.get(tid) ?? 0)) / 1e3 / wakes;
      if (us >= 1) perWake.push(`${tid}: ${us.toFixed(0)}`);
    }
    console.log(`pass ${pass}, ${wait}: µs of CPU per ${HZ} Hz wake, by thread: ${perWake.join(', ')}`);
    await Promise.all(workers.map((w) => w.terminate()));
  }
