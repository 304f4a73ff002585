/**
 * @leviathan/engine: the embedding API. `createServer(options).listen()` runs a server; games are
 * written with `defineGame` and `defineCommand` (see README.md).
 */
export * from './errors.js';
export * from './game/index.js';
export const VERSION = '0.1.0';
