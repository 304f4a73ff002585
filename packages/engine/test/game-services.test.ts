import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ServiceStartError } from '../src/errors.js';
import { startServer } from './helpers/start-server.js';

vi.setConfig({ testTimeout: 60_000 });

const SERVICE_GAME = fileURLToPath(new URL('./fixtures/service-game.ts', import.meta.url));

// GameDefinition.services: started on the main thread once the server listens, reaching the game
// through the gateway URL they are given, closed first at shutdown; one that fails stops the start.
describe('game services', () => {
  it('start after listen with a working gateway URL, and close with the server', async () => {
    const { server } = await startServer({ game: SERVICE_GAME, zoneShards: {}, shards: 1 });
    try {
      expect(server.services.get('probe')?.port).toBe(4242);
    } finally {
      await server.close();
    }
    expect(server.services.size).toBe(0);
  });

  it('a service that fails to start fails listen() with LEV_ERR_ENGINE_SERVICE_START_FAILED', async () => {
    const failure = await startServer({
      game: SERVICE_GAME,
      gameOptions: { broken: true },
      zoneShards: {},
      shards: 1,
    }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ServiceStartError);
    expect((failure as ServiceStartError).code).toBe('LEV_ERR_ENGINE_SERVICE_START_FAILED');
    expect(((failure as Error).cause as Error).message).toBe('port 1 is not ours');
  });
});
