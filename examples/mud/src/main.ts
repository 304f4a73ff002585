/**
 * `pnpm start`: the Leviathan engine serving the Drowned Coast. Browser client at
 * http://localhost:8080/, telnet and MUD clients on port 4000, development logins (any name, the
 * token "test-token"; an empty password on telnet), characters kept in the embedded store under
 * `.leviathan-data/`, the live dashboard at http://localhost:8080/dashboard. Every engine option
 * can be changed with the usual LEVIATHAN_* environment variables (see docs/configuration.md):
 * LEVIATHAN_AUTH_MODE=accounts turns on accounts with registration instead of development logins. LEVIATHAN_TELNET_PORT moves the telnet port (0: a
 * free one; the MUD's `telnetPort` option, a service the server starts and stops).
 */
import { fileURLToPath } from 'node:url';
import { createServer } from '@leviathan/engine';
import { loadWorldSync, mudGameModule, webClientRoot, worldZoneShards } from '@leviathan/mud';

const worldDir = process.env.LEVIATHAN_MUD_WORLD ?? fileURLToPath(new URL('../world', import.meta.url));
// Validate the world here first: a broken file is reported before any thread starts.
const world = loadWorldSync(worldDir);

const server = createServer({
  game: mudGameModule(),
  gameOptions: { world: worldDir, telnetPort: Number(process.env.LEVIATHAN_TELNET_PORT ?? 4000) },
  zoneShards: worldZoneShards(world),
  webRoot: webClientRoot(),
  auth: { mode: 'dev' },
  // The live dashboard at /dashboard, for the developer: its data goes to this machine only (or
  // to holders of LEVIATHAN_DASHBOARD_TOKEN); LEVIATHAN_DASHBOARD_ENABLED=false turns it off.
  dashboard: { enabled: true },
  // Characters and the world's changes persist in the engine's default store: embedded (SQLite,
  // no server needed) under ./.leviathan-data; LEVIATHAN_STORE_KIND=postgres with
  // LEVIATHAN_STORE_URL uses Postgres instead.
  handleSignals: true,
});
const { port } = await server.listen();
const telnet = server.services.get('telnet');
if (telnet !== undefined) console.log(`telnet: telnet localhost ${telnet.port}`);
const how =
  server.config.auth.mode === 'dev' ? 'any name, token "test-token"' : `auth mode ${server.config.auth.mode}`;
console.log(`${world.name} is open: http://localhost:${port}/ (${how})`);
if (server.config.dashboard.enabled) console.log(`live dashboard: http://localhost:${port}/dashboard`);
