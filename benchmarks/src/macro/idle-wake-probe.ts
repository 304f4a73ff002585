/**
 * What a thread that wakes at a tick rate and does nothing else costs in CPU per wake on this
 * machine: the floor under every shard thread's tick, whatever the engine does in it. Two worker
 * threads each run a 10 Hz timer that allocates a little (as a tick does); after a 12 s settle,
 * every thread's CPU over 6 s (from /proc/self/task/<tid>/schedstat) is printed per wake: the
 * last two (the newest thread ids) are the workers; the others are this thread, V8's and libuv's
 * helpers and, under tsx, its loader's.
 *
 *   pnpm exec tsx src/macro/idle-wake-probe.ts
 *
 * On the 2-core VM of docs/benchmarks.md (Node 20): 130–450 µs per wake, against the few µs the
 * timer's callback takes when hot. The macro suite's description cites it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const HZ = 10;
const SETTLE_MS = 12_000;
const WINDOW_MS = 6_000;

function cpuNsByThread(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    out.set(tid, ns);
  }
  return out;
}

/** The worker's whole program, as source: a tick that allocates a little and sets the next one. */
const IDLE_TICKER = `
  const tick = () => {
    const objects = [];
    for (let i = 0; i < 10; i++) objects.push({ i });
    setTimeout(tick, ${1000 / HZ});
  };
  tick();
`;

const workers = [0, 1].map(() => new Worker(IDLE_TICKER, { eval: true }));
setTimeout(() => {
  const before = cpuNsByThread();
  setTimeout(() => {
    const wakes = (WINDOW_MS / 1000) * HZ;
    for (const [tid, ns] of cpuNsByThread()) {
      const ms = (ns - (before.get(tid) ?? 0)) / 1e6;
      if (ms > 0.1)
        console.log(
          `thread ${tid}: ${ms.toFixed(1)} ms of CPU in ${WINDOW_MS / 1000} s, ${((ms * 1000) / wakes).toFixed(0)} µs per ${HZ} Hz wake`,
        );
    }
    for (const w of workers) void w.terminate();
  }, WINDOW_MS);
}, SETTLE_MS);
