/**
 * The MUD under the crowd and mud benchmarks, in a process of its own so that its memory and CPU
 * are its own: `createServer` with `@leviathan/mud` on the example world (the Drowned Coast, its
 * zones on 2 shards as the world asks; everyone spawns in harbor:square) or the world and game
 * options of argv[3] (a MudServerSetup as JSON), development logins, one gateway thread, no store
 * (logins and saves would measure the store, not the crowd). Driven over IPC:
 * `{ ask: 'rss' }` → RSS after a full collection of this (main) thread, `{ ask: 'metrics' }` →
 * Prometheus text, `{ ask: 'stop' }`.
 */

import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createServer } from '@leviathan/engine';
import { loadWorldSync, mudGameModule, worldZoneShards } from '@leviathan/mud';
import { serveAsks } from '../harness/serve-asks.js';
import type { MudServerSetup } from './mud-server.js';

const tickHz = Number(process.argv[2] ?? 10);
// Not --expose-gc on the command line: the engine passes its flags on to its worker threads,
// which refuse that one. Exposed here, for this (main) thread only.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const setup = JSON.parse(process.argv[3] ?? '{}') as MudServerSetup;
const worldDir = setup.worldDir ?? fileURLToPath(new URL('../../../examples/mud/world', import.meta.url));
const world = loadWorldSync(worldDir);
const server = createServer({
  host: '127.0.0.1',
  port: 0,
  shards: 2,
  gatewayThreads: 1,
  tickHz,
  game: mudGameModule(),
  gameOptions: { ...setup.gameOptions, world: worldDir },
  zoneShards: worldZoneShards(world),
  auth: { mode: 'dev' },
  store: { kind: 'none' },
  maxConnections: 20_000,
  log: { level: 'error' },
});
const { port } = await server.listen();
const native = /^leviathan_uws_native(?:\{[^}]*\})? 1$/m.test(await server.metrics());
process.send?.({ ready: true, port, native });
serveAsks<'rss' | 'metrics' | 'stop'>(async (ask) => {
  switch (ask) {
    case 'rss':
      gc();
      return { rss: process.memoryUsage().rss };
    case 'metrics':
      return { metrics: await server.metrics() };
    case 'stop':
      await server.close();
      process.send?.({ stopped: true }, () => process.exit(0));
      return undefined;
  }
});
