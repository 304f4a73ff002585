import { fileURLToPath } from 'node:url';

/**
 * Whether this code runs from the TypeScript sources (vitest, tsx) rather than the build: the
 * package's files then end in `.ts`. src/ and dist/ have the same layout below them (see
 * tsup.config.ts), so a file of the package is found relative to this one either way.
 */
const fromSource = import.meta.url.endsWith('.ts');

/**
 * The MUD game module's file URL, to give a server as `game` (every shard worker imports it): the
 * `.ts` source under vitest or tsx, the built `dist/game/mud-game.js` otherwise. The same module
 * is `@leviathan/mud/game` for `leviathan serve --game`.
 */
export function mudGameModule(): string {
  return new URL(`./game/mud-game.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
}

/** The browser client's directory, to give a server as `webRoot`. It sits beside src/ and dist/. */
export function webClientRoot(): string {
  return fileURLToPath(new URL('../web/', import.meta.url));
}
