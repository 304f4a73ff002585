/**
 * The shape of one configuration option (config-options.ts holds the table of them all, put
 * together from the groups in options/), and the names derived from its key: the environment
 * variable and the flag of `leviathan serve`.
 */

export type OptionType = 'integer' | 'number' | 'boolean' | 'string' | 'enum' | 'json-object' | 'zone-map';

export interface DefaultContext {
  /** Cores available to the process (`os.availableParallelism()`). */
  readonly cores: number;
}

export interface OptionSpec {
  /** Dotted path in `EngineConfig`, also the key in a config file: `commandRate.perSecond`. */
  readonly key: string;
  readonly type: OptionType;
  /** One sentence for the docs and `--help`. */
  readonly description: string;
  /** Unit of a number, as documented; `''` when it has none. */
  readonly unit: string;
  /** The default value, computed for this machine. */
  readonly default: (ctx: DefaultContext) => unknown;
  /** The default as the docs show it (machine-independent). */
  readonly defaultText: string;
  /** Whether the value may be absent (`undefined`). */
  readonly optional: boolean;
  readonly min: number | undefined;
  readonly max: number | undefined;
  /** Allowed values of an `enum`. */
  readonly values: readonly string[] | undefined;
  /** Environment variable, always `LEVIATHAN_` + the key in upper snake case. */
  readonly env: string;
  /** Long flag of `leviathan serve`, `--` + the key in kebab case; undefined when there is none. */
  readonly flag: string | undefined;
}

export interface OptionInit {
  key: string;
  type: OptionType;
  description: string;
  unit?: string;
  default: unknown | ((ctx: DefaultContext) => unknown);
  defaultText?: string;
  optional?: boolean;
  min?: number;
  max?: number;
  values?: readonly string[];
  /** Set false for options that have no flag. */
  flag?: false;
}

/** `commandRate.perSecond` → `COMMAND_RATE_PER_SECOND`. */
export function keyToEnvSuffix(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/\./g, '_')
    .toUpperCase();
}

/** `commandRate.perSecond` → `command-rate-per-second`. */
export function keyToFlagName(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/\./g, '-')
    .toLowerCase();
}

/** One row of the table, frozen, with its environment variable and flag derived from its key. */
export function option(init: OptionInit): OptionSpec {
  const dflt = init.default;
  const compute = typeof dflt === 'function' ? (dflt as (ctx: DefaultContext) => unknown) : () => dflt;
  return Object.freeze({
    key: init.key,
    type: init.type,
    description: init.description,
    unit: init.unit ?? '',
    default: compute,
    defaultText: init.defaultText ?? (dflt === undefined ? '(unset)' : JSON.stringify(dflt)),
    optional: init.optional ?? false,
    min: init.min,
    max: init.max,
    values: init.values,
    env: `LEVIATHAN_${keyToEnvSuffix(init.key)}`,
    flag: init.flag === false ? undefined : `--${keyToFlagName(init.key)}`,
  });
}
