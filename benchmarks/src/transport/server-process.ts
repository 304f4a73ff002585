/**
 * The engine under the transport suite, in a process of its own so that its CPU time is its own:
 * `createServer` with the transport named by argv[2] (`uws` or `node`), one gateway thread, two
 * shards, the macro suite's echo game. Says `{ ready, port, transport }` (from the engine's
 * leviathan_transport_info), then answers `{ ask: 'cpu' }` (CPU time of the whole process so far,
 * every thread, in µs) and `{ ask: 'stop' }`.
 */
import { fileURLToPath } from 'node:url';
import { createServer } from '@leviathan/engine';
import { serveAsks } from '../harness/serve-asks.js';

const transport = process.argv[2] as 'uws' | 'node';
const server = createServer({
  host: '127.0.0.1',
  port: 0,
  shards: 2,
  gatewayThreads: 1,
  tickHz: 20,
  transport,
  game: fileURLToPath(new URL('../macro/echo-game.ts', import.meta.url)),
  auth: { mode: 'dev' },
  commandRate: { perSecond: 100_000, burst: 100_000 },
  store: { kind: 'none' },
  log: { level: 'error' },
});
const { port } = await server.listen();
const running = /^leviathan_transport_info\{transport="(\w+)"\} 1$/m.exec(await server.metrics())?.[1];
process.send?.({ ready: true, port, transport: running });

serveAsks<'cpu' | 'stop'>(async (ask) => {
  if (ask === 'cpu') {
    const { user, system } = process.cpuUsage();
    return { cpuUs: user + system };
  }
  await server.close();
  process.send?.({ ask: 'stop' });
  process.exit(0);
});
