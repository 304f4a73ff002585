/**
 * @leviathan/mud: a MUD on the Leviathan engine's Game API: its world format and loader, the game,
 * the telnet bridge and the browser client. The game module is `game/mud-game.ts`
 * (`mudGameModule()`, or `@leviathan/mud/game`); worlds are YAML directories described in
 * docs/mud.md.
 */

export { closestWord, editDistance } from './commands/did-you-mean.js';
export * from './errors.js';
export { createMudGame, worldZoneShards } from './game/mud-game.js';
export { type MudOptions, parseMudOptions } from './game/mud-options.js';
export { telnetService } from './game/telnet-service.js';
export { mudGameModule, webClientRoot } from './paths.js';
export { createTelnetServer, type TelnetServer, type TelnetServerOptions } from './telnet/index.js';
export { loadWorld, loadWorldSync, parseWorld, type WorldSource } from './world/load-world.js';
export type { WorldIssue } from './world/world-issue.js';
export { formatIssue } from './world/world-issue.js';
export * from './world/world-types.js';
