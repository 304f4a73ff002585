/**
 * The engine under benchmark, in a process of its own so that process.cpuUsage() counts the
 * server's threads only. Driven over the IPC channel by round-trip.ts.
 */
import { fileURLToPath } from 'node:url';
import { createServer } from '@leviathan/engine';

const tickHz = Number(process.env.BENCH_TICK_HZ ?? 10);
const server = createServer({
  host: '127.0.0.1',
  port: 0,
  shards: 2,
  gatewayThreads: 1,
  tickHz,
  game: fileURLToPath(new URL('./echo-game.ts', import.meta.url)),
  auth: { mode: 'dev' },
  commandRate: { perSecond: 100_000, burst: 100_000 },
  maxConnections: 20_000,
  log: { level: 'error' },
  store: { kind: 'none' },
});
const { port } = await server.listen();
process.send!({ ready: true, port });
process.on('message', (msg: string) => {
  if (msg === 'cpu') process.send!({ cpu: process.cpuUsage() });
  if (msg === 'rss') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send!({ rss: process.memoryUsage().rss });
  }
  if (msg === 'stop') void server.close().then(() => process.exit(0));
});
