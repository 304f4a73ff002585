/**
 * A server under a macro benchmark, in a process of its own so that its memory and CPU are its
 * own: `engine` (createServer with the engine suite's echo game: gateway thread → shard threads)
 * or `echo` (a raw uWebSockets.js server answering `auth` with `auth-ok` and `cmd` with a `reply`
 * carrying `re`, the same flow at its cheapest). Driven over IPC:
 * `{ ask: 'mem' }` → RSS after a full GC, `{ ask: 'players' }` → authenticated connections,
 * `{ ask: 'metrics' }` → Prometheus text (engine), `{ ask: 'stop' }`.
 */

import uWS from 'uWebSockets.js';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createServer } from '@leviathan/engine';

const kind = process.argv[2];
const tickHz = Number(process.argv[3] ?? 10);
// Not --expose-gc on the command line: the engine passes its flags on to its worker threads,
// which refuse that one. Exposed here, for this (main) thread only.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Ask = 'mem' | 'players' | 'metrics' | 'stop';
interface Server {
  port: number;
  native: boolean;
  players: () => Promise<number>;
  metrics: () => Promise<string>;
  stop: () => Promise<void>;
}

async function startEngine(): Promise<Server> {
  const server = createServer({
    host: '127.0.0.1',
    port: 0,
    shards: 2,
    gatewayThreads: 1,
    tickHz,
    game: fileURLToPath(new URL('../engine/echo-game.ts', import.meta.url)),
    auth: { mode: 'dev' },
    commandRate: { perSecond: 100_000, burst: 100_000 },
    maxConnections: 20_000,
    log: { level: 'error' },
  });
  const { port } = await server.listen();
  const metrics = () => server.metrics();
  const players = async () => {
    const match = /^leviathan_connected_players(?:\{[^}]*\})? (\S+)$/m.exec(await metrics());
    return match ? Number(match[1]) : 0;
  };
  const native = /^leviathan_uws_native(?:\{[^}]*\})? 1$/m.test(await metrics());
  return { port, native, players, metrics, stop: () => server.close() };
}

function startEcho(): Promise<Server> {
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
        ws.send(`{"type":"reply","re":${JSON.stringify(m.id)},"ok":true,"text":"hello world"}`);
      }
    },
    close: (ws) => {
      if (ws.getUserData().authed) authenticated--;
    },
  });
  return new Promise((resolve, reject) => {
    app.listen('127.0.0.1', 0, (token) => {
      if (!token) return reject(new Error('the echo server cannot listen'));
      resolve({
        port: uWS.us_socket_local_port(token),
        native: String(uWS.App).includes('[native code]'),
        players: async () => authenticated,
        metrics: async () => '',
        stop: async () => {
          uWS.us_listen_socket_close(token);
        },
      });
    });
  });
}

const server = kind === 'engine' ? await startEngine() : await startEcho();
process.send?.({ ready: true, port: server.port, native: server.native });
// The benchmark died without stopping this server: do not outlive it.
process.on('disconnect', () => process.exit(0));
process.on('message', (msg: { ask: Ask }) => {
  const answer = async (): Promise<unknown> => {
    switch (msg.ask) {
      case 'mem': {
        // RSS after full collections, once it has settled: V8 and malloc give memory back to the
        // system gradually after a burst (tsx compiling at startup, a wave of logins), and a
        // reading taken while it still shrinks would charge that drift to the sessions.
        // Settled: three readings 1 s apart within 256 KB of each other (at most 30 s).
        const readings: number[] = [];
        for (let i = 0; i < 30; i++) {
          gc();
          await new Promise((r) => setTimeout(r, 1000));
          readings.push(process.memoryUsage().rss);
          const last = readings.slice(-3);
          if (last.length === 3 && Math.max(...last) - Math.min(...last) < 256 * 1024) break;
        }
        return { rss: readings[readings.length - 1] as number };
      }
      case 'players':
        return { players: await server.players() };
      case 'metrics':
        return { metrics: await server.metrics() };
      case 'stop':
        await server.stop();
        process.send?.({ stopped: true }, () => process.exit(0));
        return undefined;
    }
  };
  answer().then(
    (value) => {
      if (value !== undefined) process.send?.({ ask: msg.ask, ...(value as object) });
    },
    (err: unknown) => process.send?.({ ask: msg.ask, error: String(err) }),
  );
});
