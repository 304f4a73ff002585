/**
 * Load generator benchmarks: @leviathan/loadgen against a minimal hand-written `ws` client loop,
 * measured in the same run against the same uWebSockets.js server (in its own process).
 *
 * - messages per second per core: round trips (cmd → reply) per second of the client process's
 *   CPU time, in a closed loop over 50 connections, measured in a steady window. Higher is better;
 *   ratio = loadgen / reference (aim ≥ 0.8).
 * - memory per open connection: marginal RSS per idle authenticated connection, from runs with
 *   1,000 and 3,000 connections (the difference cancels fixed costs: V8 isolates, tsx, and the
 *   young generation growing to its working size, which distorted runs of a few hundred). Lower is
 *   better; ratio = reference / loadgen, so ≥ 1 means loadgen is as lean.
 *
 * Each figure is the median of `repeats` alternating runs. Run: `tsx benchmarks/src/loadgen/index.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  reference: number;
  ratio: number;
}

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
    const rate = { loadgen: [] as number[], raw: [] as number[] };
    for (let i = 0; i < repeats; i++) {
      for (const [side, script] of [
        ['raw', 'raw-ws-client.ts'],
        ['loadgen', 'loadgen-client.ts'],
      ] as const) {
        const r = await client(script, [
          url,
          'throughput',
          String(connections),
          String(warmupMs),
          String(windowMs),
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
    const lgMem = median(mem.loadgen);
    const rawMem = median(mem.raw);
    return [
      {
        name: 'loadgen: messages per second per core (cmd → reply round trips per CPU-second)',
        unit: 'msg/s/core',
        value: Math.round(lgRate),
        reference: Math.round(rawRate),
        ratio: lgRate / rawRate,
      },
      {
        name: 'loadgen: memory per open connection (marginal RSS, reference / loadgen)',
        unit: 'bytes',
        value: Math.round(lgMem),
        reference: Math.round(rawMem),
        ratio: rawMem / lgMem,
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
          `${r.name}\n  loadgen ${r.value} ${r.unit}, reference (raw ws) ${r.reference} ${r.unit}, ratio ${r.ratio.toFixed(2)}`,
        );
      }
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
