import { fileURLToPath } from 'node:url';
import { type CreateServerOptions, createServer, type LeviathanServer } from '../../src/index.js';

export const TEST_GAME = fileURLToPath(new URL('../fixtures/test-game.ts', import.meta.url));

/** A real server on a free port of 127.0.0.1, with the test game on two shards by default. */
export async function startServer(
  options: CreateServerOptions = {},
): Promise<{ server: LeviathanServer; port: number }> {
  const server = createServer({
    host: '127.0.0.1',
    port: 0,
    shards: 2,
    gatewayThreads: 1,
    tickHz: 20,
    game: TEST_GAME,
    zoneShards: { alpha: 0, beta: 1 },
    auth: { mode: 'dev' },
    log: { level: 'warn' },
    shutdownDeadlineMs: 10_000,
    // No persistence unless a test asks for a store (with a data directory of its own).
    store: { kind: 'none' },
    ...options,
  });
  const { port } = await server.listen();
  return { server, port };
}
