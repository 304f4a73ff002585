/**
 * End-to-end command round trips: the engine (gateway thread → shard threads → gateway, a real
 * uWS socket) against a raw uWS echo server, measured in the same run with the same client.
 *
 * Each server runs in its own process; the client (this process) keeps `clients` WebSocket
 * connections in a closed loop (one command in flight per connection). For each server: round
 * trips per second, and server CPU per round trip (process.cpuUsage() of the server process,
 * user + system, over the measured window). The engine answers at its tick, so its round trips
 * per second per connection are bounded by the tick rate (10 Hz: ≈ 10/s per connection); CPU per
 * command is the figure the aim is about (within 2x of the raw echo).
 *
 * Run: pnpm --filter @leviathan/benchmarks exec tsx src/engine/round-trip.ts
 *
 * Measured on the shared 2-core machine (load average 6 to 16, so ±30% between runs), from
 * source: paced 500 × 4/s, engine 28–42 µs vs echo 13–20 µs of server CPU per command (ratio
 * 2.1–2.6; the engine's idle cost, 4.5 ms/s, is ≈ 2 µs of it); closed loop 200 × 8, engine
 * 5.1–6.4 µs vs echo 2.7–3.9 µs (ratio 1.3–2.3), the engine at its tick-bound 14–15k rt/s.
 * The echo does no parsing at all; the engine decodes and validates every message, routes it
 * through a shard thread and back, and encodes the reply.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { BenchResult } from './bench-result.js';
import { measureIpcBatches } from './ipc-batch.js';

export type { BenchResult } from './bench-result.js';

export interface RoundTripOptions {
  /** Connections. @default 200 */
  clients?: number;
  /** Commands in flight per connection. @default 1 */
  depth?: number;
  /** Warm-up before measuring, in ms. @default 2000 */
  warmupMs?: number;
  /** Measured window, in ms. @default 5000 */
  durationMs?: number;
  /** Engine tick rate. @default 10 */
  tickHz?: number;
  /**
   * Commands per second per connection (paced: the next goes at most this often, and only after
   * the answer to the previous one), so both servers get the same offered load; 0 for a closed
   * loop as fast as each server answers.
   * @default 0
   */
  ratePerClient?: number;
}

interface Measurement {
  roundTrips: number;
  seconds: number;
  cpuMicros: number;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

async function startServer(
  file: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(here(file), [], {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (msg: { ready?: boolean; port?: number }) =>
      msg.ready ? resolve(msg.port!) : reject(new Error('bad start')),
    );
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { child, port };
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (msg: { cpu?: NodeJS.CpuUsage }) => {
      if (msg.cpu === undefined) return;
      child.off('message', onMessage);
      resolve(msg.cpu.user + msg.cpu.system);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

function rssOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (msg: { rss?: number }) => {
      if (msg.rss === undefined) return;
      child.off('message', onMessage);
      resolve(msg.rss);
    };
    child.on('message', onMessage);
    child.send('rss');
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Drives `clients` closed-loop connections against `port`; counts round trips in the window. */
async function drive(port: number, child: ChildProcess, o: Required<RoundTripOptions>): Promise<Measurement> {
  const sockets: WebSocket[] = [];
  let counting = false;
  let roundTrips = 0;
  let running = true;
  await Promise.all(
    Array.from({ length: o.clients }, async (_, i) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      sockets.push(ws);
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      await new Promise<void>((resolve) => {
        ws.once('message', () => resolve());
        ws.send(JSON.stringify({ type: 'auth', username: `bench${i}`, token: 'test-token' }));
      });
      let id = 0;
      const interval = o.ratePerClient > 0 ? 1000 / o.ratePerClient : 0;
      // Start the paced connections spread over one interval, not all at once.
      let nextAt = performance.now() + Math.random() * interval;
      const sendOne = () => {
        if (!running || ws.readyState !== WebSocket.OPEN) return;
        ws.send(`{"type":"cmd","line":"echo hello world","id":${++id}}`);
      };
      const schedule = () => {
        if (interval === 0) return sendOne();
        const now = performance.now();
        nextAt = Math.max(nextAt + interval, now);
        if (nextAt - now < 1) sendOne();
        else setTimeout(sendOne, nextAt - now);
      };
      ws.on('message', () => {
        if (counting) roundTrips++;
        if (running) schedule();
      });
      for (let d = 0; d < o.depth; d++) schedule();
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, o.warmupMs));
  const cpu0 = await cpuOf(child);
  const t0 = performance.now();
  counting = true;
  await new Promise((resolve) => setTimeout(resolve, o.durationMs));
  counting = false;
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = await cpuOf(child);
  const counted = roundTrips;
  running = false;
  for (const ws of sockets) ws.close();
  return { roundTrips: counted, seconds, cpuMicros: cpu1 - cpu0 };
}

export async function measureRoundTrips(options: RoundTripOptions = {}): Promise<BenchResult[]> {
  const o: Required<RoundTripOptions> = {
    clients: options.clients ?? 200,
    depth: options.depth ?? 1,
    warmupMs: options.warmupMs ?? 2000,
    durationMs: options.durationMs ?? 5000,
    tickHz: options.tickHz ?? 10,
    ratePerClient: options.ratePerClient ?? 0,
  };
  const echo = await startServer('./echo-server.ts');
  let reference: Measurement;
  try {
    reference = await drive(echo.port, echo.child, o);
  } finally {
    await stop(echo.child);
  }
  const engine = await startServer('./engine-server.ts', { BENCH_TICK_HZ: String(o.tickHz) });
  let measured: Measurement;
  try {
    measured = await drive(engine.port, engine.child, o);
  } finally {
    await stop(engine.child);
  }
  const load = o.ratePerClient > 0 ? `${o.ratePerClient}/s each` : `${o.depth} in flight each, closed loop`;
  const label = `${o.clients} clients, ${load}, ${o.tickHz} Hz, 2 shards`;
  const cpuPer = (m: Measurement) => m.cpuMicros / Math.max(1, m.roundTrips);
  const rate = (m: Measurement) => m.roundTrips / m.seconds;
  return [
    {
      name: `engine: server CPU per command round trip (${label}) vs raw uWS echo`,
      unit: 'µs',
      value: cpuPer(measured),
      reference: cpuPer(reference),
      ratio: cpuPer(measured) / cpuPer(reference),
    },
    {
      name: `engine: command round trips per second (${label}) vs raw uWS echo`,
      unit: 'rt/s',
      value: rate(measured),
      reference: rate(reference),
      ratio: rate(measured) / rate(reference),
    },
  ];
}

/**
 * Resident memory per connected, authenticated, idle player: RSS after `connections` logins
 * minus RSS before, divided by `connections` (the server's GC is run before each reading). The
 * engine keeps a Connection in the gateway and a Player in a shard per player; the raw echo keeps
 * only uWS's socket.
 */
export async function measureIdleMemory(connections = 2000): Promise<BenchResult> {
  const perConnection = async (file: string): Promise<number> => {
    const server = await startServer(file);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const before = await rssOf(server.child);
      const sockets: WebSocket[] = [];
      for (let i = 0; i < connections; i += 100) {
        await Promise.all(
          Array.from({ length: Math.min(100, connections - i) }, async (_, j) => {
            const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
            sockets.push(ws);
            await new Promise<void>((resolve, reject) => {
              ws.once('open', () => resolve());
              ws.once('error', reject);
            });
            await new Promise<void>((resolve) => {
              ws.once('message', () => resolve());
              ws.send(JSON.stringify({ type: 'auth', username: `idle${i + j}`, token: 'test-token' }));
            });
          }),
        );
      }
      // Let the shards admit everyone (a tick) and the allocations settle.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const after = await rssOf(server.child);
      for (const ws of sockets) ws.close();
      return (after - before) / connections;
    } finally {
      await stop(server.child);
    }
  };
  const reference = await perConnection('./echo-server.ts');
  const value = await perConnection('./engine-server.ts');
  return {
    name: `engine: resident memory per idle logged-in player (${connections} players) vs raw uWS echo per connection`,
    unit: 'bytes',
    value,
    reference,
    ratio: value / reference,
  };
}

/** Every engine benchmark, for benchmarks/src/run.ts. */
export async function runEngineBenchmarks(): Promise<BenchResult[]> {
  return [
    ...(await measureIpcBatches()),
    await measureIdleMemory(2000),
    // A MUD's load: every player types a few commands a second; both servers get the same load.
    ...(await measureRoundTrips({ clients: 500, ratePerClient: 4, tickHz: 10 })),
    // Saturation: as many commands as each server answers (the engine at its tick).
    ...(await measureRoundTrips({ clients: 200, depth: 8, tickHz: 10 })),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await runEngineBenchmarks();
  for (const r of results) {
    console.log(
      `${r.name}\n  ${r.value.toFixed(2)} ${r.unit} (reference ${r.reference.toFixed(2)} ${r.unit}, ratio ${r.ratio.toFixed(2)})`,
    );
  }
  console.log(JSON.stringify(results));
}
