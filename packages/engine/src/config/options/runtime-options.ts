import type { TransportSetting } from '../engine-config.js';
import { type OptionSpec, option } from '../option-spec.js';

export const TRANSPORTS: readonly TransportSetting[] = Object.freeze(['auto', 'uws', 'node']);

/**
 * How the server runs on its host: what serves its port (the transport), whether V8's memory
 * reducer runs in its threads, and the static files it serves at /.
 */
export const RUNTIME_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'transport',
    type: 'enum',
    description:
      'What serves the WebSocket and HTTP port: uws (native uWebSockets.js; the server refuses to start where its binary does not load), node (Node http + ws, slower), or auto (uws where it loads, else node).',
    default: 'auto',
    values: TRANSPORTS,
  }),
  option({
    key: 'v8MemoryReducer',
    type: 'boolean',
    description:
      "Whether V8's memory reducer runs in the isolates created after the server starts (its gateway, shard and job threads; the flag is process-wide, so also any the host creates later). Off by default: a shard idle between ticks looks idle to V8, which then runs full collections to give memory back, about 15 % of the engine's CPU at 2,000 commands/s. The price: the heaps do not shrink when the server goes idle (RSS about 2 KB more per idle player at 12,000 players). The main thread's isolate exists before the server starts, so the option cannot reach it: there the reducer runs two or three full collections some seconds after start-up's allocations (50–70 ms of CPU on Node 22, on main and V8's helper threads); `node --no-memory-reducer` turns it off there too.",
    default: false,
  }),
  option({
    key: 'webRoot',
    type: 'string',
    description:
      "Directory of static files served at / (such as @leviathan/mud's browser client, webClientRoot()); unset: / answers 404, the engine has no web client of its own.",
    unit: 'path',
    default: undefined,
    optional: true,
  }),
]);
