/**
 * `pnpm start`: the Leviathan engine serving the Drowned Coast. Browser client at
 * http://localhost:8080/, telnet and MUD clients on port 4000, development logins (any name, the
 * token "test-token"; an empty password on telnet), characters kept in the embedded store under
 * `.leviathan-data/`. Every engine option can be changed with the usual LEVIATHAN_* environment
 * variables (see docs/configuration.md): LEVIATHAN_AUTH_MODE=accounts turns on accounts with
 * registration instead of development logins. LEVIATHAN_TELNET_PORT moves the telnet port (0
 * turns it off).
 */
import { fileURLToPath } from 'node:url';
import { createServer } from '@leviathan/engine';
import {
  createTelnetServer,
  loadWorldSync,
  mudGameModule,
  webClientRoot,
  worldZoneShards,
} from '@leviathan/engine/mud';

const worldDir = process.env.LEVIATHAN_MUD_WORLD ?? fileURLToPath(new URL('../world', import.meta.url));
// Validate the world here first: a broken file is reported before any thread starts.
const world = loadWorldSync(worldDir);

const server = createServer({
  game: mudGameModule(),
  gameOptions: { world: worldDir },
  zoneShards: worldZoneShards(world),
  webRoot: webClientRoot(),
  auth: { mode: 'dev' },
  // Characters and the world's changes persist in an embedded store (SQLite, no server needed);
  // LEVIATHAN_STORE_KIND=postgres with LEVIATHAN_STORE_URL uses Postgres instead.
  store: { kind: 'embedded', dataDir: '.leviathan-data' },
  handleSignals: true,
});
const { port } = await server.listen();

const telnetPort = Number(process.env.LEVIATHAN_TELNET_PORT ?? 4000);
if (telnetPort > 0) {
  const telnet = createTelnetServer({
    host: server.config.host,
    port: telnetPort,
    gatewayUrl: `ws://127.0.0.1:${port}/ws`,
    ...(server.config.auth.mode === 'dev'
      ? { secretAs: 'token' as const, defaultToken: 'test-token' }
      : { secretAs: 'password' as const }),
    banner: `${world.name}: a Leviathan MUD.`,
  });
  await telnet.listen();
  server.on('closing', () => void telnet.close());
  console.log(`telnet: telnet localhost ${telnet.port}`);
}
const how =
  server.config.auth.mode === 'dev' ? 'any name, token "test-token"' : `auth mode ${server.config.auth.mode}`;
console.log(`${world.name} is open: http://localhost:${port}/ (${how})`);
