/**
 * `pnpm start`: the Leviathan engine serving the Drowned Coast. Browser client at
 * http://localhost:8080/, telnet and MUD clients on port 4000, development logins (any name, the
 * token "test-token"; an empty password on telnet), characters kept in the embedded store under
 * `.leviathan-data/`. Every engine option can be changed with the usual LEVIATHAN_* environment
 * variables (see docs/configuration.md): LEVIATHAN_AUTH_MODE=accounts turns on accounts with
 * registration instead of development logins. LEVIATHAN_TELNET_PORT moves the telnet port (0: a
 * free one).
 */
import { fileURLToPath } from 'node:url';
import { createServer } from '@leviathan/engine';
import { loadWorldSync, mudGameModule, webClientRoot, worldZoneShards } from '@leviathan/engine/mud';

const worldDir = process.env.LEVIATHAN_MUD_WORLD ?? fileURLToPath(new URL('../world', import.meta.url));
// Validate the world here first: a broken file is reported before any thread starts.
const world = loadWorldSync(worldDir);

const server = createServer({
  game: mudGameModule(),
  gameOptions: { world: worldDir },
  zoneShards: worldZoneShards(world),
  webRoot: webClientRoot(),
  auth: { mode: 'dev' },
  // Characters and the world's changes persist in the engine's default store: embedded (SQLite,
  // no server needed) under ./.leviathan-data; LEVIATHAN_STORE_KIND=postgres with
  // LEVIATHAN_STORE_URL uses Postgres instead.
  handleSignals: true,
  // The telnet port (LEVIATHAN_TELNET_PORT moves it; the engine starts and stops it).
  telnet: { port: 4000 },
  telnetBanner: `${world.name}: a Leviathan MUD.`,
});
const { port } = await server.listen();
if (server.telnetPort !== undefined) console.log(`telnet: telnet localhost ${server.telnetPort}`);
const how =
  server.config.auth.mode === 'dev' ? 'any name, token "test-token"' : `auth mode ${server.config.auth.mode}`;
console.log(`${world.name} is open: http://localhost:${port}/ (${how})`);
