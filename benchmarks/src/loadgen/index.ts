/**
 * Load generator benchmarks: @leviathan/loadgen against a minimal hand-written `ws` client loop,
 * measured in the same run against the same uWebSockets.js server (in its own process).
 *
 * - messages per second per core: round trips (cmd → reply) per second of the client process's
 *   CPU time, in a closed loop over 50 connections, measured in a steady window. A rate: ratio =
 *   reference / loadgen (bench-result.ts), aim 1.11, i.e. loadgen at least 0.9x the reference;
 *   gated twice: against the baseline, and as a budget (loadgen vs 0.9x the same run's reference).
 * - memory per open connection: marginal RSS per idle authenticated connection, from runs with
 *   1,000 and 5,000 connections (the difference cancels fixed costs: V8 isolates, tsx, and the
 *   young generation's pages, touched as the process works, which distorted runs of a few
 *   hundred). Ratio = loadgen / reference (above 1: loadgen uses more); and, informational until
 *   it is met, against the aim of at most 16 KiB.
 * - capacity (capacity.ts): 19,000 VUs in one process through a 300 ms server stall.
 *
 * - the same loop without the runner (in-thread-client.ts: executor, VUs and session in one
 *   thread), with the current WsSession and with the one before the hot-path rework
 *   (baseline/ws-session-before.ts), so that the rework's gain is a ratio of one run.
 *
 * Each figure is the median of `repeats` alternating runs. Run: `tsx benchmarks/src/loadgen/index.ts`.
 */
import { fileURLToPath } from 'node:url';
import { type BenchResult, ratioOf } from '../bench-result.js';
import { client, median, PINNED_CPUS, startEchoServer } from './child-process.js';

export { runLoadgenCapacityBenchmarks } from './capacity.js';

export interface LoadgenBenchOptions {
  /** Connections of the throughput loop. @default 50 */
  connections?: number;
  /** Runs per side; the median is kept. @default 3 */
  repeats?: number;
  /** Steady-state measuring window. @default 4000 (ms) */
  windowMs?: number;
  /** Warm-up before the window. @default 2000 (ms) */
  warmupMs?: number;
  /**
   * Connection counts whose RSS difference gives the memory per connection. @default [1000, 5000]
   * (1,000 to 3,000 read 11.0-16.1 KB per VU over 3 quiet runs and missed a step of the old
   * space's growth between 3,000 and 5,000; the wider window takes it in and halves the noise
   * per VU of RSS that moves by megabytes at moments of V8's and malloc's choosing)
   */
  connectionCounts?: [number, number];
}

/** Loadgen's round trips per CPU-second, at least this share of the hand-written loop's. */
const ROUND_TRIP_AIM = 0.9;
/** Marginal RSS per idle VU, at most (16 KiB). */
const MEMORY_BUDGET_BYTES = 16 * 1024;

export async function runLoadgenBenchmarks(options: LoadgenBenchOptions = {}): Promise<BenchResult[]> {
  const connections = options.connections ?? 50;
  const repeats = options.repeats ?? 3;
  const windowMs = options.windowMs ?? 4000;
  const warmupMs = options.warmupMs ?? 2000;
  const [small, large] = options.connectionCounts ?? [1000, 5000];

  // The round trips per CPU-second are measured with each side on a core of its own (PINNED_CPUS).
  const { server, url } = await startEchoServer(PINNED_CPUS?.server);
  try {
    const rate = {
      loadgen: [] as number[],
      raw: [] as number[],
      threadNow: [] as number[],
      threadBefore: [] as number[],
    };
    for (let i = 0; i < repeats; i++) {
      for (const [side, script, variant] of [
        ['raw', 'raw-ws-client.ts', ''],
        ['loadgen', 'loadgen-client.ts', ''],
        ['threadBefore', 'in-thread-client.ts', 'before'],
        ['threadNow', 'in-thread-client.ts', 'current'],
      ] as const) {
        const r = await client(
          script,
          [
            url,
            'throughput',
            String(connections),
            String(warmupMs),
            String(windowMs),
            ...(variant === '' ? [] : [variant]),
          ],
          {},
          PINNED_CPUS?.client,
        );
        if (!(r.roundTrips && r.cpuMs)) throw new Error(`${side}: no round trips measured`);
        rate[side].push((r.roundTrips as number) / ((r.cpuMs as number) / 1000));
      }
    }
    const mem = { loadgen: [] as number[], raw: [] as number[] };
    for (let i = 0; i < repeats; i++) {
      for (const [side, script] of [
        ['raw', 'raw-ws-client.ts'],
        ['loadgen', 'loadgen-client.ts'],
      ] as const) {
        const a = await client(script, [url, 'connections', String(small)]);
        const b = await client(script, [url, 'connections', String(large)]);
        mem[side].push(((b.rssBytes as number) - (a.rssBytes as number)) / (large - small));
      }
    }
    const lgRate = median(rate.loadgen);
    const rawRate = median(rate.raw);
    const nowRate = median(rate.threadNow);
    const beforeRate = median(rate.threadBefore);
    const lgMem = median(mem.loadgen);
    const rawMem = median(mem.raw);
    return [
      {
        name: 'loadgen: cmd→reply round trips per CPU-second, one core (vs a hand-written ws loop)',
        unit: 'msg/s',
        value: Math.round(lgRate),
        reference: Math.round(rawRate),
        ratio: ratioOf('msg/s', lgRate, rawRate),
        aim: Math.round(100 / ROUND_TRIP_AIM) / 100,
      },
      {
        name: 'loadgen: cmd→reply round trips per CPU-second (vs 0.9x the hand-written ws loop of the same run)',
        unit: 'msg/s',
        value: Math.round(lgRate),
        reference: Math.round(ROUND_TRIP_AIM * rawRate),
        ratio: ratioOf('msg/s', lgRate, ROUND_TRIP_AIM * rawRate),
        // Shown, not gated, until the aim is met: on a quiet machine (2026-12-06, load average
        // 2) loadgen made 0.71-0.79x the hand-written loop's round trips per CPU-second; the
        // case above still fails on a regression against the baseline.
        gate: 'info',
        gateReason:
          'the aim, not met yet: loadgen costs at most 1/0.9 of the CPU of a hand-written ws loop per round trip',
      },
      {
        name: 'loadgen without the runner (one thread): round trips per CPU-second (vs a hand-written ws loop)',
        unit: 'msg/s',
        value: Math.round(nowRate),
        reference: Math.round(rawRate),
        ratio: ratioOf('msg/s', nowRate, rawRate),
      },
      {
        name: 'loadgen without the runner: round trips per CPU-second (vs the session before the rework)',
        unit: 'msg/s',
        value: Math.round(nowRate),
        reference: Math.round(beforeRate),
        ratio: ratioOf('msg/s', nowRate, beforeRate),
      },
      {
        name: 'loadgen: memory per open idle connection, marginal RSS (vs a hand-written ws loop)',
        unit: 'B/conn',
        value: Math.round(lgMem),
        reference: Math.round(rawMem),
        ratio: ratioOf('B/conn', lgMem, rawMem),
      },
      {
        name: "loadgen: memory per open idle connection, marginal RSS (vs the 16 KiB budget; the ws loop's figure is the case above)",
        unit: 'B/conn',
        value: Math.round(lgMem),
        reference: MEMORY_BUDGET_BYTES,
        ratio: ratioOf('B/conn', lgMem, MEMORY_BUDGET_BYTES),
        // A requirement, judged as a budget since loadgen bounds the opens in flight
        // (`maxConnecting`, default 100): from 1,000 to 5,000 VUs it read about 19-20 KB with every
        // VU connecting at once (old space grown around the opens' requests, parsers and timers,
        // heap total 108 MB at 5,000) and 3.4-4.7 KB with the bound (55-59 MB), against the ws
        // loop's 8.6 KB, which opens one at a time (2 runs each, same session, 2026-12-07).
        gate: 'budget',
        gateReason: 'the requirement: an idle VU costs at most 16 KiB of RSS',
      },
    ];
  } finally {
    server.stdin?.end();
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  runLoadgenBenchmarks().then(
    (results) => {
      for (const r of results) {
        console.log(
          `${r.name}\n  loadgen ${r.value} ${r.unit}, reference ${r.reference} ${r.unit}, cost ratio ${r.ratio.toFixed(2)} (above 1: loadgen costs more)`,
        );
      }
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
