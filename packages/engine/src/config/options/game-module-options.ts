import { type OptionSpec, option } from '../option-spec.js';

/** The game served: its module, the options passed to it, and which shard runs which zone. */
export const GAME_MODULE_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'game',
    type: 'string',
    description:
      'The game module to serve (required): a file path, or a package and its module (@leviathan/mud/game), resolved from the working directory.',
    unit: 'module',
    default: undefined,
    defaultText: 'none: required',
    optional: true,
  }),
  option({
    key: 'gameOptions',
    type: 'json-object',
    description: 'Options passed to the game (a JSON object).',
    default: {},
  }),
  option({
    key: 'zoneShards',
    type: 'zone-map',
    description:
      'Explicit zone to shard placement, as JSON or zone=shard pairs (town=0,forest=1); other zones go by a stable hash.',
    default: {},
  }),
]);
