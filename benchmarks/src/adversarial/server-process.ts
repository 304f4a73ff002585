/**
 * The server under the adversarial flood, in a process of its own: the engine with the engine
 * suite's echo game and its production defaults (HMAC logins limited per address, the default
 * command rate, payload and error limits). Driven over IPC: `{ ask: 'rss' }`, `{ ask: 'metrics' }`, `{ ask: 'stop' }`.
 */
import { fileURLToPath } from 'node:url';
import { createServer } from '@leviathan/engine';
import { serveAsks } from '../harness/serve-asks.js';

const tickHz = Number(process.argv[2] ?? 10);
const server = createServer({
  host: '0.0.0.0',
  port: 0,
  shards: 2,
  gatewayThreads: 1,
  tickHz,
  game: fileURLToPath(new URL('../macro/echo-game.ts', import.meta.url)),
  auth: { mode: 'hmac' },
  log: { level: 'error' },
  store: { kind: 'none' },
});
const { port } = await server.listen();
const native = /^leviathan_uws_native(?:\{[^}]*\})? 1$/m.test(await server.metrics());
process.send?.({ ready: true, port, native });
serveAsks<'rss' | 'metrics' | 'stop'>(async (ask) => {
  switch (ask) {
    case 'rss':
      return { rss: process.memoryUsage().rss };
    case 'metrics':
      return { metrics: await server.metrics() };
    case 'stop':
      await server.close();
      process.send?.({ ask: 'stop' }, () => process.exit(0));
      return undefined;
  }
});
