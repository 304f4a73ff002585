/**
 * A server under a macro benchmark, in a process of its own so that its memory and CPU are its
 * own: `engine` (createServer with the engine suite's echo game: gateway thread → shard threads),
 * `echo` (a raw uWebSockets.js server answering `auth` with `auth-ok` and `cmd` with a `reply`
 * carrying `re`, the same flow at its cheapest) or `echo-at-tick` (the same server, holding each
 * reply until its next tick, at the engine's tick rate, then writing each socket's replies under
 * one cork: the engine's exchange on the wire, without the engine). Driven over IPC:
 * `{ ask: 'mem' }` → RSS after a full GC, `{ ask: 'players' }` → authenticated connections,
 * `{ ask: 'metrics' }` → Prometheus text (engine), `{ ask: 'cpu' }` → CPU time of the whole
 * process so far (every thread: gateway, shards, main), `{ ask: 'stop' }`.
 */

import uWS, { type WebSocket } from 'uWebSockets.js';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createServer } from '@leviathan/engine';
import { serveAsks } from '../harness/serve-asks.js';
import type { MemoryReading } from './server-handle.js';

const kind = process.argv[2];
const tickHz = Number(process.argv[3] ?? 10);
/** The engine's transport (`uws` or `node`), for the transport suite; the engine's default otherwise. */
const transport = process.argv[4] as 'uws' | 'node' | undefined;
// Not --expose-gc on the command line: the engine passes its flags on to its worker threads,
// which refuse that one. Exposed here, for this (main) thread only.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Ask = 'mem' | 'players' | 'metrics' | 'cpu' | 'stop';
interface Server {
  port: number;
  native: boolean;
  /** The transport that runs (the engine's leviathan_transport_info; `uws` for the echo). */
  transport: string;
  players: () => Promise<number>;
  metrics: () => Promise<string>;
  stop: () => Promise<void>;
}

async function startEngine(): Promise<Server> {
  const server = createServer({
    host: '127.0.0.1',
    port: 0,
    // The engine's default thread counts for this machine, as users run it: on a 2-core VM, one
    // gateway thread and one shard (config/options/shard-options.ts).
    tickHz,
    ...(transport === undefined ? {} : { transport }),
    // Beside this file, in its form: echo-game.mjs once compiled (compiled-server.ts).
    game: fileURLToPath(
      new URL(import.meta.url.endsWith('.ts') ? './echo-game.ts' : './echo-game.mjs', import.meta.url),
    ),
    auth: { mode: 'dev' },
    commandRate: { perSecond: 100_000, burst: 100_000 },
    maxConnections: 20_000,
    // 12,000 logins within seconds on a machine the load generator shares: the default 10 s for a
    // socket to authenticate is about abuse, not about this test.
    authDeadlineMs: 60_000,
    log: { level: 'error' },
    // What a suite adds to the engine's options (ServerHandle.start's `engineOptions`), as JSON.
    ...(JSON.parse(process.env.BENCH_ENGINE_OPTIONS ?? '{}') as object),
  });
  const { port } = await server.listen();
  const metrics = () => server.metrics();
  const players = async () => {
    const match = /^leviathan_connected_players(?:\{[^}]*\})? (\S+)$/m.exec(await metrics());
    return match ? Number(match[1]) : 0;
  };
  const text = await metrics();
  const native = /^leviathan_uws_native(?:\{[^}]*\})? 1$/m.test(text);
  const running = /^leviathan_transport_info\{transport="(\w+)"\} 1$/m.exec(text)?.[1] ?? 'unknown';
  return { port, native, transport: running, players, metrics, stop: () => server.close() };
}

/**
 * Replies held until the next tick (`echo-at-tick`), by socket. Answering a tick later changes
 * what TCP does, whoever answers: the reply no longer carries the ACK of its request, so the
 * kernel sends one on its own. Measured with `nstat` over 4 s at 2,000 commands/s on 800 sessions
 * (8,000 commands): 16,300 TCP segments in and out answering at once, 32,200 answering at a
 * 10 Hz tick (6,100 delayed ACKs against 90); the echo's server CPU per command went from 28–39
 * µs to 42–51 µs, and the engine's (52–65 µs) pays the same. This server is the reference that
 * does the engine's exchange with nothing of the engine.
 */
class TickedReplies {
  readonly #held = new Map<WebSocket<{ authed: boolean }>, string[]>();

  constructor(tickHz: number) {
    setInterval(() => this.#flush(), 1000 / tickHz).unref();
  }

  hold(ws: WebSocket<{ authed: boolean }>, text: string): void {
    const replies = this.#held.get(ws);
    if (replies === undefined) this.#held.set(ws, [text]);
    else replies.push(text);
  }

  forget(ws: WebSocket<{ authed: boolean }>): void {
    this.#held.delete(ws);
  }

  #flush(): void {
    for (const [ws, replies] of this.#held)
      ws.cork(() => {
        for (const text of replies) ws.send(text);
      });
    this.#held.clear();
  }
}

function startEcho(atTick: boolean): Promise<Server> {
  const ticked = atTick ? new TickedReplies(tickHz) : undefined;
  let authenticated = 0;
  const app = uWS.App().ws<{ authed: boolean }>('/ws', {
    idleTimeout: 120,
    maxPayloadLength: 16 * 1024,
    open: (ws) => {
      ws.getUserData().authed = false;
    },
    message: (ws, data) => {
      const m = JSON.parse(Buffer.from(data).toString()) as { type: string; id?: unknown; username?: string };
      if (m.type === 'auth') {
        if (!ws.getUserData().authed) authenticated++;
        ws.getUserData().authed = true;
        ws.send(
          JSON.stringify({
            type: 'auth-ok',
            version: 1,
            username: m.username,
            session: 's',
            capabilities: [],
            serverTime: 0,
          }),
        );
      } else if (m.type === 'cmd') {
        const reply = `{"type":"reply","re":${JSON.stringify(m.id)},"ok":true,"text":"hello world"}`;
        if (ticked === undefined) ws.send(reply);
        else ticked.hold(ws, reply);
      }
    },
    close: (ws) => {
      ticked?.forget(ws);
      if (ws.getUserData().authed) authenticated--;
    },
  });
  return new Promise((resolve, reject) => {
    app.listen('127.0.0.1', 0, (token) => {
      if (!token) return reject(new Error('the echo server cannot listen'));
      resolve({
        port: uWS.us_socket_local_port(token),
        native: String(uWS.App).includes('[native code]'),
        transport: 'uws',
        players: async () => authenticated,
        metrics: async () => '',
        stop: async () => {
          uWS.us_listen_socket_close(token);
        },
      });
    });
  });
}

const server = kind === 'engine' ? await startEngine() : await startEcho(kind === 'echo-at-tick');

/** A per-thread gauge of the engine's /metrics (`thread` label): its value for each thread. */
function gaugeByThread(metrics: string, name: string): Record<string, number> {
  const byThread: Record<string, number> = {};
  for (const m of metrics.matchAll(new RegExp(`^${name}\\{thread="([^"]+)"\\} (\\S+)$`, 'gm')))
    byThread[m[1] as string] = Number(m[2]);
  return byThread;
}

/**
 * JavaScript heap in use by each of the process's threads, and the heap pages each holds in
 * memory (used or free: the young generation's reserve), from the engine's gauges; else this
 * thread's alone (the echo server).
 */
async function heapByThread(): Promise<{ used: Record<string, number>; resident: Record<string, number> }> {
  const metrics = await server.metrics();
  const used = gaugeByThread(metrics, 'leviathan_heap_used_bytes');
  if (Object.keys(used).length === 0) {
    const { heapUsed } = process.memoryUsage();
    return { used: { main: heapUsed }, resident: { main: getHeapStatistics().total_physical_size } };
  }
  return { used, resident: gaugeByThread(metrics, 'leviathan_heap_resident_bytes') };
}

/**
 * The process's memory at rest: the smallest RSS and the smallest JavaScript heap (every thread)
 * over MEMORY_WINDOW_S readings 1 s apart, each after a full collection of this (main) thread.
 * The minimum, not the last reading: V8 and malloc give memory back to the system in steps, at
 * moments of their own (the worker threads — gateway, shards — collect on their own schedule, and
 * V8's memory reducer acts several seconds after allocation slows), so RSS sits on a plateau and
 * then drops by tens of megabytes: measured with 12,000 players, 313.6 MB flat for 3 s then
 * 275.3 MB; 236.2 MB creeping up for 28 s then 208.9 MB. A reading on a plateau charged that
 * drift to the players (4.4–6.1 KB per player over 5 runs with "three readings 1 s apart within
 * 256 KB" as the rule; 0.2–6.4 KB with ten).
 */
const MEMORY_WINDOW_S = Number(process.env.MACRO_MEMORY_WINDOW_S ?? 20);
async function memoryReading(): Promise<MemoryReading & { readings: number[] }> {
  const rss: number[] = [];
  const heaps: Array<{ used: Record<string, number>; resident: Record<string, number> }> = [];
  const total = (h: Record<string, number>) => Object.values(h).reduce((a, b) => a + b, 0);
  for (let i = 0; i < MEMORY_WINDOW_S; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 1000));
    rss.push(process.memoryUsage().rss);
    heaps.push(await heapByThread());
  }
  // The reading with the smallest total heap, and its threads' shares.
  const smallest = heaps.reduce((a, b) => (total(b.used) < total(a.used) ? b : a));
  return {
    rss: Math.min(...rss),
    heap: total(smallest.used),
    heapByThread: smallest.used,
    residentByThread: smallest.resident,
    readings: rss,
  };
}
process.send?.({ ready: true, port: server.port, native: server.native, transport: server.transport });
serveAsks<Ask>(async (ask) => {
  switch (ask) {
    case 'mem': {
      // See memoryReading above.
      return await memoryReading();
    }
    case 'players':
      return { players: await server.players() };
    case 'metrics':
      return { metrics: await server.metrics() };
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      return { cpuUs: user + system };
    }
    case 'stop':
      await server.stop();
      process.send?.({ stopped: true }, () => process.exit(0));
      return undefined;
  }
});
