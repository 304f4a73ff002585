import { fileURLToPath } from 'node:url';
import type { AuthVerifier } from '@leviathan/engine';
import { createServer, type LeviathanServer } from '@leviathan/engine';

/** The MUD game module and the example world, from source. */
export const MUD_GAME = fileURLToPath(new URL('../../src/game/mud-game.ts', import.meta.url));
export const WORLD_DIR = fileURLToPath(new URL('../../../../examples/mud/world', import.meta.url));
export const WEB_ROOT = fileURLToPath(new URL('../../web', import.meta.url));

/**
 * Dev tokens for everyone, with the `player` role; the users named in `extraRoles` get theirs
 * too. A custom verifier (the engine's `custom` mode), so role commands can be tested without an
 * HMAC secret.
 */
export function verifierWithRoles(extraRoles: Readonly<Record<string, readonly string[]>>): AuthVerifier {
  const byName = new Map(Object.entries(extraRoles));
  return {
    async verify(request) {
      if (request.token !== 'test-token')
        return { ok: false, code: 'LEV_ERR_AUTH_FAILED', message: 'bad token' };
      return {
        ok: true,
        username: request.username,
        roles: ['player', ...(byName.get(request.username) ?? [])],
      };
    },
  };
}

/** Dev tokens for everyone; `root` also gets the admin role. */
export const testVerifier: AuthVerifier = verifierWithRoles({ root: ['admin'] });

/** A real server running the MUD on the example world: two shards, harbour and cliffs on 0. */
export async function startMud(
  overrides: Record<string, unknown> = {},
): Promise<{ server: LeviathanServer; port: number; url: string }> {
  const server = createServer({
    host: '127.0.0.1',
    port: 0,
    shards: 2,
    gatewayThreads: 1,
    game: MUD_GAME,
    gameOptions: { world: WORLD_DIR },
    zoneShards: { harbor: 0, cliffs: 0, forest: 1, marsh: 1 },
    webRoot: WEB_ROOT,
    log: { level: 'warn' },
    verifier: testVerifier,
    // No persistence unless a test asks for a store (with a data directory of its own).
    store: { kind: 'none' },
    ...overrides,
  } as Parameters<typeof createServer>[0]);
  const { port } = await server.listen();
  return { server, port, url: `ws://127.0.0.1:${port}/ws` };
}
