import type { LogLevel } from '../engine-config.js';
import { type OptionSpec, option } from '../option-spec.js';

export const LOG_LEVELS: readonly LogLevel[] = Object.freeze([
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
]);

/** Logging: the least severe level written, and JSON or readable lines. */
export const LOG_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'log.level',
    type: 'enum',
    description: 'Least severe log level written; silent turns logs off.',
    default: 'info',
    values: LOG_LEVELS,
  }),
  option({
    key: 'log.pretty',
    type: 'boolean',
    description:
      'Human-readable log lines through pino-pretty, for development (install pino-pretty; the engine does not bring it); off: JSON lines.',
    default: false,
  }),
]);
