/**
 * Load generator benchmarks: @leviathan/loadgen against a minimal hand-written `ws` client loop,
 * measured in the same run against the same uWebSockets.js server (in its own process).
 *
 * - messages per second per core: round trips (cmd → reply) per second of the client process's
 *   CPU time, in a closed loop over 50 connections, measured in a steady window. A rate: ratio =
 *   reference / loadgen (bench-result.ts), aim 1.25, i.e. loadgen at least 0.8x the reference.
 * - memory per open connection: marginal RSS per idle authenticated connection, from runs with
 *   1,000 and 3,000 connections (the difference cancels fixed costs: V8 isolates, tsx, and the
 *   young generation growing to its working size, which distorted runs of a few hundred). Ratio =
 *   loadgen / reference (above 1: loadgen uses more).
 *
 * - the same loop without the runner (in-thread-client.ts: executor, VUs and session in one
 *   thread), with the current WsSession and with the one before the hot-path rework
 *   (baseline/ws-session-before.ts), so that the rework's gain is a ratio of one run.
 *
 * Each figure is the median of `repeats` alternating runs. Run: `tsx benchmarks/src/loadgen/index.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type BenchResult, ratioOf } from '../bench-result.js';

export interface LoadgenBenchOptions {
  /** Connections of the throughput loop. @default 50 */
  connections?: number;
  /** Runs per side; the median is kept. @default 3 */
  repeats?: number;
  /** Steady-state measuring window. @default 4000 (ms) */
  windowMs?: number;
  /** Warm-up before the window. @default 2000 (ms) */
  warmupMs?: number;
  /** Connection counts whose RSS difference gives the memory per connection. @default [1000, 3000] */
  connectionCounts?: [number, number];
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const benchDir = fileURLToPath(new URL('../../', import.meta.url));

function node(script: string, args: readonly string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--expose-gc', here(script), ...args],
    {
      cwd: benchDir,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl !== -1) resolve(buf.slice(0, nl));
    });
    child.on('exit', (code) =>
      reject(new Error(`${String(child.spawnargs[5])} exited with ${code} before answering`)),
    );
  });
}

async function client(script: string, args: readonly string[]): Promise<Record<string, number>> {
  const child = node(script, args);
  const line = await firstLine(child);
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(line) as Record<string, number>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function runLoadgenBenchmarks(options: LoadgenBenchOptions = {}): Promise<BenchResult[]> {
  const connections = options.connections ?? 50;
  const repeats = options.repeats ?? 3;
  const windowMs = options.windowMs ?? 4000;
  const warmupMs = options.warmupMs ?? 2000;
  const [small, large] = options.connectionCounts ?? [1000, 3000];

  const server = node('echo-server.ts', []);
  const info = JSON.parse(await firstLine(server)) as { port: number; native: boolean };
  if (!info.native)
    throw new Error('uWebSockets.js runs on its JS fallback: the benchmark would measure the wrong server');
  const url = `ws://127.0.0.1:${info.port}/ws`;
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
        const r = await client(script, [
          url,
          'throughput',
          String(connections),
          String(warmupMs),
          String(windowMs),
          ...(variant === '' ? [] : [variant]),
        ]);
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
        aim: 1.25,
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
