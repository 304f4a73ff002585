import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigInvalidError, type ConfigIssue, type ConfigSourceKind } from '../errors.js';
import { checkTogether, type ResolvedEntry } from './check-together.js';
import { closestName } from './closest-name.js';
import { CONFIG_OPTIONS, OPTION_GROUPS, OPTIONS_BY_KEY, SECRET_KEYS } from './config-options.js';
import type { EngineConfig, EngineConfigInput } from './engine-config.js';
import { loadConfigFile } from './load-config-file.js';
import type { OptionSpec } from './option-spec.js';
import { checkValue, parseValue } from './option-values.js';
import { defaultShards } from './options/shard-options.js';

/** Where `resolveConfig` reads from, besides the options given in code. */
export interface ConfigSources {
  /**
   * Environment variables (`LEVIATHAN_*`, and the secrets named by `auth.hmacSecretEnv`).
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Command-line flags, without the command (`['--port', '9000', '--dev-auth']`). Never read
   * from `process.argv` implicitly.
   * @default []
   */
  readonly argv?: readonly string[];
  /**
   * A configuration file (JSON or YAML). `--config` and `LEVIATHAN_CONFIG` take precedence.
   * @default undefined (no file)
   */
  readonly file?: string;
  /**
   * Directory relative paths of the configuration file are resolved against.
   * @default process.cwd()
   */
  readonly cwd?: string;
  /**
   * Cores the defaults are computed for.
   * @default os.availableParallelism()
   */
  readonly cores?: number;
  /** Receives notes that are not errors, such as an unknown `LEVIATHAN_*` variable. */
  readonly onWarning?: (message: string) => void;
}

/** The resolved configuration, and where each value came from. */
export interface ResolvedConfig {
  readonly config: EngineConfig;
  /** Per option key: `default`, `code`, `file`, `env` or `flag`, and a readable origin. */
  readonly origins: ReadonlyMap<string, { readonly source: ConfigSourceKind; readonly origin: string }>;
  /** Absolute path of the configuration file that was read, if any. */
  readonly file: string | undefined;
}

/** Flags that are not options themselves. */
const CONFIG_FLAG = '--config';
const DEV_AUTH_FLAG = '--dev-auth';
const CONFIG_ENV = 'LEVIATHAN_CONFIG';

const FLAGS = new Map<string, OptionSpec>(
  CONFIG_OPTIONS.flatMap((o) => (o.flag ? [[o.flag, o] as const] : [])),
);
const ENVS = new Map<string, OptionSpec>(CONFIG_OPTIONS.map((o) => [o.env, o]));

/**
 * Resolves the engine's configuration from, lowest precedence first: defaults, options given in
 * code (`input`: the application's own defaults), a configuration file, `LEVIATHAN_*` environment
 * variables, command-line flags. Deployment settings therefore override what code says, and the
 * command line overrides everything.
 *
 * Every value is validated; all problems are thrown at once as a `ConfigInvalidError` whose
 * message names each key and where its value came from. Secrets never enter the result: the HMAC
 * secret is read from the environment variable that `auth.hmacSecretEnv` names, and only checked
 * here for presence.
 */
export function resolveConfig(input: EngineConfigInput = {}, sources: ConfigSources = {}): EngineConfig {
  if (isResolvedConfig(input)) {
    // An already resolved configuration passes through untouched: the CLI resolves flags, then
    // hands the result to createServer, which must not re-apply the environment over the flags.
    if (resolved.has(input)) return input;
    // A copy of one (`{ ...config, logger }` destructured by createServer, or edited by code) is
    // validated again as a whole, without the environment, file or flags layered on top once more;
    // only the secrets are looked up, for the check that they exist.
    const env = sources.env ?? process.env;
    const secrets: Record<string, string | undefined> = {};
    for (const name of [input.auth?.hmacSecretEnv, input.auth?.hmacPreviousSecretEnv]) {
      if (typeof name === 'string') secrets[name] = env[name];
    }
    return resolveConfigDetailed(input, {
      env: secrets,
      ...(sources.cores !== undefined ? { cores: sources.cores } : {}),
    }).config;
  }
  return resolveConfigDetailed(input, sources).config;
}

/**
 * Marks resolved configurations. A symbol key is skipped by JSON and structured cloning (what
 * crosses to workers is plain data) but kept by object spread and rest, so it survives a
 * `{ ...config }` copy on the way into createServer.
 */
const RESOLVED = Symbol.for('leviathan.resolvedConfig');
const resolved = new WeakSet<object>();

/**
 * Whether `value` is a configuration returned by `resolveConfig`, or a copy of one (object
 * spread keeps the mark).
 */
export function isResolvedConfig(value: unknown): value is EngineConfig {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RESOLVED] === true;
}

/** `resolveConfig`, also telling where each value came from (for `--print-config` and logs). */
export function resolveConfigDetailed(
  input: EngineConfigInput = {},
  sources: ConfigSources = {},
): ResolvedConfig {
  const env = sources.env ?? process.env;
  const issues: ConfigIssue[] = [];
  const cores = sources.cores ?? availableParallelism();
  const values = new Map<string, ResolvedEntry>();

  for (const spec of CONFIG_OPTIONS) {
    values.set(spec.key, { value: spec.default({ cores }), source: 'default', origin: 'default' });
  }

  // Code.
  applyObject(input as Record<string, unknown>, 'code', 'code', values, issues);

  // Flags are parsed before the file and the environment are applied (they may name the file),
  // and applied last.
  const flagIssues: ConfigIssue[] = [];
  const flags = parseFlags(sources.argv ?? [], flagIssues);

  // File.
  let filePath: string | undefined;
  const file = flags.configFile ?? nonEmpty(env[CONFIG_ENV]) ?? sources.file;
  if (file !== undefined) {
    const loaded = loadConfigFile(file, sources.cwd);
    filePath = loaded.path;
    applyObject(loaded.data, 'file', `file ${loaded.path}`, values, issues);
    resolveFilePaths(values, dirname(loaded.path));
  }

  // Environment.
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('LEVIATHAN_') || raw === undefined) continue;
    const spec = ENVS.get(name);
    if (!spec) {
      if (name !== CONFIG_ENV && !isSecretEnvName(name, values) && sources.onWarning) {
        const hint = closestName(name, ENVS.keys());
        sources.onWarning(
          `unknown environment variable ${name} ignored${hint ? ` (did you mean ${hint}?)` : ''}`,
        );
      }
      continue;
    }
    // An empty variable counts as unset, as in most deployment tools (`FOO=` in a compose file).
    if (raw.trim() === '') continue;
    const origin = `environment variable ${name}`;
    const result = parseValue(spec, raw);
    if (result.ok) values.set(spec.key, { value: result.value, source: 'env', origin });
    else issues.push({ key: spec.key, message: result.message, source: 'env', origin });
  }

  // Flags (their problems reported last, in precedence order like the rest).
  for (const [key, entry] of flags.values) values.set(key, entry);
  issues.push(...flagIssues);

  // The shards' default depends on the gateway threads and the zones placed, which any layer may
  // have set.
  const shards = values.get('shards');
  const gatewayThreads = values.get('gatewayThreads')?.value;
  if (shards?.source === 'default' && typeof gatewayThreads === 'number') {
    const placed = values.get('zoneShards')?.value as Record<string, unknown> | undefined;
    values.set('shards', { ...shards, value: defaultShards(cores, gatewayThreads, placed) });
  }

  checkTogether(values, env, issues);
  if (issues.length > 0) throw new ConfigInvalidError(issues);

  const built = build(values);
  (built as Record<symbol, unknown>)[RESOLVED] = true;
  const config = deepFreeze(built) as unknown as EngineConfig;
  resolved.add(config);
  const origins = new Map([...values].map(([key, e]) => [key, { source: e.source, origin: e.origin }]));
  return { config, origins, file: filePath };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function isSecretEnvName(name: string, values: Map<string, ResolvedEntry>): boolean {
  return (
    name === values.get('auth.hmacSecretEnv')?.value ||
    name === values.get('auth.hmacPreviousSecretEnv')?.value ||
    name === values.get('dashboard.tokenEnv')?.value
  );
}

/** Walks a nested object (code or file) against the option table. */
function applyObject(
  object: Record<string, unknown>,
  source: ConfigSourceKind,
  origin: string,
  values: Map<string, ResolvedEntry>,
  issues: ConfigIssue[],
  prefix = '',
): void {
  for (const [name, value] of Object.entries(object)) {
    const key = prefix + name;
    const secretHome = SECRET_KEYS.get(key);
    if (secretHome !== undefined) {
      issues.push({
        key,
        message: `secrets are read only from the environment: put it in the variable that ${secretHome} names (default ${OPTIONS_BY_KEY.get(secretHome)?.default({ cores: 1 })})`,
        source,
        origin,
      });
      continue;
    }
    const spec = OPTIONS_BY_KEY.get(key);
    if (spec) {
      if (value === undefined && source === 'code') continue; // `{ port: undefined }` means "not given"
      const result = checkValue(spec, value);
      if (result.ok) values.set(key, { value: result.value, source, origin });
      else issues.push({ key, message: result.message, source, origin });
      continue;
    }
    if (OPTION_GROUPS.has(key)) {
      if (value === undefined && source === 'code') continue;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        applyObject(value as Record<string, unknown>, source, origin, values, issues, `${key}.`);
      } else {
        issues.push({ key, message: 'must be an object', source, origin });
      }
      continue;
    }
    const hint = closestName(key, [...OPTIONS_BY_KEY.keys(), ...OPTION_GROUPS]);
    issues.push({
      key,
      message: `unknown option${hint ? ` (did you mean ${hint}?)` : ''}`,
      source,
      origin,
    });
  }
}

/**
 * Relative paths written in a configuration file are relative to that file, as in most servers'
 * configuration (a file moved with its certificates keeps working): `path` options always,
 * module options (`game`, `auth.customVerifier`) when they start with `./` or `../` (anything
 * else there is a package name). Paths from code, the environment and flags stay
 * relative to the working directory.
 */
function resolveFilePaths(values: Map<string, ResolvedEntry>, dir: string): void {
  for (const [key, entry] of values) {
    if (entry.source !== 'file' || typeof entry.value !== 'string') continue;
    const unit = OPTIONS_BY_KEY.get(key)?.unit;
    const value = entry.value;
    if (unit === 'path' && !isAbsolute(value)) entry.value = resolve(dir, value);
    else if (unit === 'module' && /^\.\.?\//.test(value)) entry.value = resolve(dir, value);
  }
}

/** Parses `--flag value`, `--flag=value`, boolean `--flag` / `--no-flag`, `--config`, `--dev-auth`. */
function parseFlags(
  argv: readonly string[],
  issues: ConfigIssue[],
): { values: Map<string, ResolvedEntry>; configFile: string | undefined } {
  const values = new Map<string, ResolvedEntry>();
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      issues.push({
        key: arg,
        message: 'unexpected argument (options are flags like --port 9000)',
        source: 'flag',
        origin: 'command line',
      });
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    let inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const takeValue = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) return undefined;
      i++;
      return next;
    };

    if (name === CONFIG_FLAG) {
      const file = takeValue();
      if (file === undefined || file === '') {
        issues.push({
          key: 'config',
          message: 'needs a file path',
          source: 'flag',
          origin: `flag ${CONFIG_FLAG}`,
        });
      } else configFile = file;
      continue;
    }
    if (name === DEV_AUTH_FLAG) {
      if (inline !== undefined) {
        issues.push({
          key: 'auth.mode',
          message: 'takes no value',
          source: 'flag',
          origin: `flag ${DEV_AUTH_FLAG}`,
        });
        continue;
      }
      values.set('auth.mode', { value: 'dev', source: 'flag', origin: `flag ${DEV_AUTH_FLAG}` });
      continue;
    }

    let spec = FLAGS.get(name);
    let negated = false;
    if (!spec && name.startsWith('--no-')) {
      const positive = FLAGS.get(`--${name.slice(5)}`);
      if (positive?.type === 'boolean') {
        spec = positive;
        negated = true;
      }
    }
    if (!spec) {
      // Skip what is probably its value, so one typo gives one error.
      if (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) i++;
      const hint = closestName(name, [...FLAGS.keys(), CONFIG_FLAG, DEV_AUTH_FLAG]);
      issues.push({
        key: name,
        message: `unknown flag${hint ? ` (did you mean ${hint}?)` : ''}; see leviathan serve --help`,
        source: 'flag',
        origin: 'command line',
      });
      continue;
    }
    const origin = `flag ${spec.flag}`;
    if (spec.type === 'boolean') {
      if (negated && inline !== undefined) {
        issues.push({ key: spec.key, message: 'takes no value', source: 'flag', origin: `flag ${name}` });
        continue;
      }
      if (inline === undefined) {
        values.set(spec.key, { value: !negated, source: 'flag', origin: negated ? `flag ${name}` : origin });
        continue;
      }
    }
    const raw = takeValue();
    inline = undefined;
    if (raw === undefined) {
      issues.push({ key: spec.key, message: 'needs a value', source: 'flag', origin });
      continue;
    }
    const result = parseValue(spec, raw);
    if (result.ok) values.set(spec.key, { value: result.value, source: 'flag', origin });
    else issues.push({ key: spec.key, message: result.message, source: 'flag', origin });
  }
  return { values, configFile };
}

/** Builds the nested object from dotted keys. */
function build(values: Map<string, ResolvedEntry>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, { value }] of values) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      if (node[part] === undefined) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return root;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
