import { fileURLToPath } from 'node:url';
import { engineFile } from '../ipc/engine-files.js';

/**
 * The MUD game module, to give a server as `game` (each shard worker imports it): the `.ts` source
 * under vitest or tsx, the built file under `dist/`.
 */
export function mudGameModule(): string {
  return engineFile('mud/game/mud-game.js', import.meta.url).href;
}

/** The browser client's directory, to give a server as `webRoot`. It sits beside src/ and dist/. */
export function webClientRoot(): string {
  return fileURLToPath(new URL('../../web/', import.meta.url));
}
