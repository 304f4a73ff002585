/**
 * Where each server's CPU per command goes, thread by thread: the macro suite's fixed-rate load
 * (index.ts: 2,000 commands/s over 800 sessions, 10 Hz, 15 s warm-up, 6 s window; the engine with
 * its default threads, server-process.ts) on the raw uWebSockets.js echo answering at the tick and
 * on the engine, ROUNDS rounds in alternating order, with every thread's CPU
 * (/proc/<pid>/task/<tid>/schedstat) read 0.4 s into the window and 0.1 s before its end, per
 * command of the window's rate. Thread names do not tell Node's threads apart (every one is
 * `node`), so they are listed busiest first: for the engine, a perf profile at this load shows the
 * busiest as the gateway (uWS and epoll), the next as the shards (their tick loop), and the rest
 * as main and V8's helpers.
 *
 *   pnpm exec tsx --conditions=source src/macro/thread-cpu-probe.ts [rounds]
 *
 * On the 2-core VM of docs/benchmarks.md (Node 20, three rounds each): with two shards (the
 * engine's default before it left a core to each gateway thread), the echo's one busy thread
 * 26.0–36.1 µs/cmd and the engine 36.4–43.1, of which the gateway 29.0–29.7, each shard 2.9–3.2,
 * the rest 1.4–7.7; with the default one shard, the echo 23.5–24.2 and the engine 28.4–35.5, the
 * gateway 25.5–28.0, the shard 2.4–2.6. The gateway costs about what the whole echo does; a
 * shard's cost is mostly per tick (idle-wake-probe.ts), and the rest moves most between runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuNsByThread } from '../harness/thread-cpu.js';
import { fixedRate } from './load-figures.js';
import { ServerHandle, type ServerKind } from './server-handle.js';

const LOAD = { rate: 2_000, sessions: 800, warmupMs: 15_000, windowMs: 6_000 } as const;
const KINDS: readonly ServerKind[] = ['echo-at-tick', 'engine'];
/** The per-thread readings, inside the load's window (which opens at the first 250 ms boundary after the warm-up). */
const FIRST_READING_MS = LOAD.warmupMs + 400;
const LAST_READING_MS = LOAD.warmupMs + LOAD.windowMs - 100;

async function probe(kind: ServerKind): Promise<string> {
  const server = await ServerHandle.start(kind, 10);
  try {
    const readings = (async () => {
      await sleep(FIRST_READING_MS);
      const first = cpuNsByThread(server.pid);
      await sleep(LAST_READING_MS - FIRST_READING_MS);
      return { first, last: cpuNsByThread(server.pid) };
    })();
    const figures = await fixedRate(server, LOAD);
    const { first, last } = await readings;
    const commands = (LOAD.rate * (LAST_READING_MS - FIRST_READING_MS)) / 1000;
    const perThread = [...last]
      .map(([tid, ns]) => (ns - (first.get(tid) ?? 0)) / 1e3 / commands)
      .filter((us) => us >= 0.05)
      .sort((a, b) => b - a);
    const [top = 0, second = 0, third = 0, ...rest] = perThread;
    const restUs = rest.reduce((a, b) => a + b, 0);
    return `${kind}: ${figures.cpuUsPerCommand.toFixed(1)} µs/cmd; by thread, busiest first: ${top.toFixed(1)}, ${second.toFixed(1)}, ${third.toFixed(1)}, the other ${rest.length} ${restUs.toFixed(1)}`;
  } finally {
    await server.stop();
  }
}

const rounds = Number(process.argv[2] ?? 3);
for (let round = 0; round < rounds; round++)
  for (let i = 0; i < KINDS.length; i++) {
    console.log(`round ${round + 1}, ${await probe(KINDS[(round + i) % KINDS.length] as ServerKind)}`);
  }
