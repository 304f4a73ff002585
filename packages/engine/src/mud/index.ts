/**
 * @leviathan/engine/mud: the MUD built on the Game API, its world format and loader. The game
 * itself is `mud/game/mud-game.ts` (the built-in game named `mud`); worlds are YAML directories
 * described in docs/mud.md.
 */

export { createTelnetServer, type TelnetServer, type TelnetServerOptions } from '../telnet/index.js';
export { closestWord, editDistance } from './commands/did-you-mean.js';
export { createMudGame, worldZoneShards } from './game/mud-game.js';
export { type MudOptions, parseMudOptions } from './game/mud-options.js';
export { mudGameModule, webClientRoot } from './paths.js';
export { loadWorld, loadWorldSync, parseWorld, type WorldSource } from './world/load-world.js';
export type { WorldIssue } from './world/world-issue.js';
export { formatIssue } from './world/world-issue.js';
export * from './world/world-types.js';
