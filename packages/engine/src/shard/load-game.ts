import type { JsonValue } from '@leviathan/protocol';
import { resolveModuleFrom } from '../config/resolve-module.js';
import { ConfigInvalidError, GameDefinitionError, GameLoadError } from '../errors.js';
import type { GameDefinition, GameModuleExport } from '../game/game-definition.js';

/** How the `game` option is written, for the error that says it is missing. */
const GAME_EXAMPLE =
  'a file path or a package and its module, e.g. `--game ./my-game.js`, or `--game @leviathan/mud/game --game-options \'{"world":"./world"}\'` (LEVIATHAN_GAME, or `game` in code or a config file)';

/** The error for a server started without a game: the engine has none of its own. */
export function gameRequiredError(): ConfigInvalidError {
  return new ConfigInvalidError([
    {
      key: 'game',
      message: `required: the game module to serve, ${GAME_EXAMPLE}`,
      source: 'default',
      origin: 'no value',
    },
  ]);
}

/**
 * The file URL of a game module: a file path (relative to `cwd`), a `file:` URL, or a package and
 * its module (`@leviathan/mud/game`) installed where the server runs. Main resolves it once and
 * gives the shards the URL (a package name imported from the engine's own files would not be
 * found under pnpm's strict layout).
 */
export function resolveGameModule(game: string | undefined, cwd: string = process.cwd()): string {
  if (game === undefined || game === '') throw gameRequiredError();
  const url = resolveModuleFrom(game, cwd);
  if (url === undefined) {
    throw new GameLoadError(
      game,
      `no package "${game.startsWith('@') ? game.split('/').slice(0, 2).join('/') : game.split('/')[0]}" with that module is installed in ${cwd} or above it (install it there, or give the game as a file path)`,
    );
  }
  return url;
}

/**
 * Imports a game module and checks its definition. Every shard and main run this: main to learn
 * the zones and the start location, the shards to run the game.
 */
export async function loadGame(
  game: string | undefined,
  options: JsonValue | undefined,
): Promise<GameDefinition> {
  const specifier = resolveGameModule(game);
  const name = game ?? specifier;
  let mod: { default?: unknown; game?: unknown };
  try {
    mod = (await import(specifier)) as { default?: unknown; game?: unknown };
  } catch (err) {
    throw new GameLoadError(name, 'import failed', { cause: err });
  }
  const exported = (mod.default ?? mod.game) as GameModuleExport | undefined;
  if (exported === undefined) throw new GameLoadError(name, 'the module has no default export');
  const definition = typeof exported === 'function' ? exported(options) : exported;
  validateGame(definition, name);
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
