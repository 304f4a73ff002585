import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonValue } from '@leviathan/protocol';
import { GameDefinitionError, GameLoadError } from '../errors.js';
import type { GameDefinition, GameModuleExport } from '../game/game-definition.js';
import { engineFile } from '../ipc/engine-files.js';

/**
 * Built-in games by name: files of this package (see engineFile), from src/ and dist/ alike. Each
 * path matches a tsup entry, so `dist/` has it.
 */
export const BUILT_IN_GAMES: Readonly<Record<string, string>> = {
  demo: 'games/demo/index.js',
  // The MUD needs `gameOptions.world` (or LEVIATHAN_MUD_WORLD): the world directory to serve.
  mud: 'mud/game/mud-game.js',
};

/** The module URL of a game: a built-in name, a file path (relative to cwd), or a module specifier. */
export function resolveGameSpecifier(
  game: string,
  builtIns: Readonly<Record<string, string>> = BUILT_IN_GAMES,
): string {
  const builtIn = builtIns[game];
  if (builtIn !== undefined) return engineFile(builtIn).href;
  if (game.startsWith('file:')) return game;
  if (game.startsWith('.') || isAbsolute(game)) return pathToFileURL(resolve(game)).href;
  return game;
}

/**
 * Imports a game module and checks its definition. Every shard and main run this: main to learn
 * the zones and the start location, the shards to run the game.
 */
export async function loadGame(game: string, options: JsonValue | undefined): Promise<GameDefinition> {
  const specifier = resolveGameSpecifier(game);
  let mod: { default?: unknown; game?: unknown };
  try {
    mod = (await import(specifier)) as { default?: unknown; game?: unknown };
  } catch (err) {
    throw new GameLoadError(game, 'import failed', { cause: err });
  }
  const exported = (mod.default ?? mod.game) as GameModuleExport | undefined;
  if (exported === undefined) throw new GameLoadError(game, 'the module has no default export');
  const definition = typeof exported === 'function' ? exported(options) : exported;
  validateGame(definition, game);
  return definition;
}

export function validateGame(definition: GameDefinition, name = definition?.name ?? '?'): void {
  if (definition === null || typeof definition !== 'object')
    throw new GameLoadError(name, 'the export is not a game definition');
  if (typeof definition.name !== 'string' || definition.name.length === 0)
    throw new GameDefinitionError('a game needs a name');
  if (!Array.isArray(definition.zones) || definition.zones.length === 0)
    throw new GameDefinitionError(`game "${definition.name}" declares no zones`);
  const ids = new Set<string>();
  for (const zone of definition.zones) {
    if (typeof zone.id !== 'string' || zone.id.length === 0 || zone.id.includes('/')) {
      throw new GameDefinitionError(`invalid zone id "${String(zone.id)}" (non-empty, no "/")`);
    }
    if (ids.has(zone.id)) throw new GameDefinitionError(`zone "${zone.id}" is declared twice`);
    ids.add(zone.id);
  }
  if (typeof definition.start !== 'function' && !ids.has(definition.start.zone)) {
    throw new GameDefinitionError(`the start zone "${definition.start.zone}" is not declared`);
  }
  if (!Array.isArray(definition.commands)) throw new GameDefinitionError('commands must be an array');
}
