import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, ConfigInvalidError } from '../errors.js';
import { CONFIG_OPTIONS } from './config-options.js';
import { isResolvedConfig, resolveConfig, resolveConfigDetailed } from './resolve-config.js';

const SECRET = 'x'.repeat(32);
/** An environment in which the default auth mode (hmac) is satisfied. */
const ENV = { LEVIATHAN_HMAC_SECRET: SECRET };

function issuesOf(fn: () => unknown): ConfigInvalidError['issues'] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect((error as ConfigInvalidError).code).toBe('LEV_ERR_CONFIG_INVALID');
    return (error as ConfigInvalidError).issues;
  }
  throw new Error('expected a ConfigInvalidError');
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lev-config-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('resolveConfig defaults', () => {
  it('gives every option its default, computed for the cores given', () => {
    const config = resolveConfig({}, { env: ENV, cores: 8 });
    expect(config.port).toBe(8080);
    expect(config.tickHz).toBe(10);
    expect(config.shards).toBe(6);
    expect(config.gatewayThreads).toBe(2);
    expect(config.jobs.maxThreads).toBe(4);
    expect(config.auth.mode).toBe('hmac');
    expect(config.store).toEqual({
      kind: 'embedded',
      dataDir: './.leviathan-data',
      sqliteDriver: 'auto',
      url: undefined,
    });
    expect(config.tls).toEqual({ keyFile: undefined, certFile: undefined });
    expect(config.commandRate).toEqual({ perSecond: 20, burst: 40 });
    expect(config.zoneShards).toEqual({});
    expect(config.transport).toBe('auto');
    expect(config.log.pretty).toBe(false);
  });

  it('leaves a core to each gateway thread, set or default, when the shards are not set', () => {
    expect(resolveConfig({}, { env: ENV, cores: 2 }).shards).toBe(1);
    expect(resolveConfig({ gatewayThreads: 4 }, { env: ENV, cores: 16 }).shards).toBe(12);
    expect(resolveConfig({}, { env: ENV, cores: 16, argv: ['--gateway-threads', '6'] }).shards).toBe(10);
    expect(resolveConfig({ shards: 16, gatewayThreads: 4 }, { env: ENV, cores: 16 }).shards).toBe(16);
  });

  it('runs at least the shards zoneShards places zones on, when the shards are not set', () => {
    const zoneShards = { harbor: 0, forest: 1, marsh: 1 };
    expect(resolveConfig({ zoneShards }, { env: ENV, cores: 2 }).shards).toBe(2);
    expect(resolveConfig({ zoneShards }, { env: ENV, cores: 1 }).shards).toBe(2);
    expect(resolveConfig({ zoneShards }, { env: ENV, cores: 8 }).shards).toBe(6);
    expect(() => resolveConfig({ zoneShards, shards: 1 }, { env: ENV, cores: 8 })).toThrow(/shard 1/);
  });

  it('keeps at least one thread of each kind on a single core', () => {
    const config = resolveConfig({}, { env: ENV, cores: 1 });
    expect([config.shards, config.gatewayThreads, config.jobs.maxThreads]).toEqual([1, 1, 1]);
  });

  it('returns a frozen, cloneable object that holds no secret', () => {
    const config = resolveConfig({}, { env: ENV });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.auth.rate)).toBe(true);
    // Cloned as a worker receives it: the same data (the resolved mark, a symbol key, stays behind).
    expect(structuredClone(config)).toEqual(JSON.parse(JSON.stringify(config)));
    expect(structuredClone(config).zoneShards).toEqual({});
    expect(JSON.stringify(config)).not.toContain(SECRET);
  });
});

describe('resolveConfig precedence: defaults < code < file < env < flags', () => {
  it('lets each layer override the one below, key by key', () => {
    const file = tempFile('lev.yaml', 'port: 2\ntickHz: 2\nshards: 2\nlog:\n  level: debug\n');
    const { config, origins } = resolveConfigDetailed(
      { port: 1, tickHz: 1, shards: 1, maxConnections: 1 },
      {
        env: { ...ENV, LEVIATHAN_PORT: '3', LEVIATHAN_TICK_HZ: '3' },
        argv: ['--port', '4', '--config', file],
      },
    );
    expect(config.port).toBe(4);
    expect(config.tickHz).toBe(3);
    expect(config.shards).toBe(2);
    expect(config.maxConnections).toBe(1);
    expect(config.log.level).toBe('debug');
    expect(origins.get('port')).toEqual({ source: 'flag', origin: 'flag --port' });
    expect(origins.get('tickHz')).toEqual({
      source: 'env',
      origin: 'environment variable LEVIATHAN_TICK_HZ',
    });
    expect(origins.get('shards')?.source).toBe('file');
    expect(origins.get('maxConnections')?.source).toBe('code');
    expect(origins.get('host')?.source).toBe('default');
  });

  it('finds the file from --config, then LEVIATHAN_CONFIG, then sources.file', () => {
    const a = tempFile('a.json', '{"port": 1001}');
    const b = tempFile('b.json', '{"port": 1002}');
    const c = tempFile('c.json', '{"port": 1003}');
    expect(
      resolveConfig({}, { env: { ...ENV, LEVIATHAN_CONFIG: b }, file: c, argv: ['--config', a] }).port,
    ).toBe(1001);
    expect(resolveConfig({}, { env: { ...ENV, LEVIATHAN_CONFIG: b }, file: c }).port).toBe(1002);
    expect(resolveConfig({}, { env: ENV, file: c }).port).toBe(1003);
  });

  it('treats an empty environment variable as unset', () => {
    expect(resolveConfig({}, { env: { ...ENV, LEVIATHAN_PORT: '' } }).port).toBe(8080);
  });

  it('ignores keys given as undefined in code', () => {
    expect(resolveConfig({ port: undefined, tls: undefined }, { env: ENV }).port).toBe(8080);
  });

  it('passes a resolved configuration through without applying the environment again', () => {
    const config = resolveConfig({}, { env: ENV, argv: ['--port', '4000'] });
    expect(isResolvedConfig(config)).toBe(true);
    expect(resolveConfig(config, { env: { ...ENV, LEVIATHAN_PORT: '5000' } })).toBe(config);
  });

  it('revalidates a copy of a resolved configuration without layering the environment again', () => {
    // createServer destructures its options: `const { logger, ...input } = options`.
    const config = resolveConfig({}, { env: ENV, argv: ['--port', '4000'] });
    const copy = { ...config };
    expect(isResolvedConfig(copy)).toBe(true);
    const again = resolveConfig(copy, { env: { ...ENV, LEVIATHAN_PORT: '5000' } });
    expect(again.port).toBe(4000);
    expect(again).toEqual(config);
    expect(() => resolveConfig({ ...config, tickHz: 0 }, { env: ENV })).toThrow(/tickHz: must be a number/);
    // The secret is still required, and still read from the environment.
    expect(() => resolveConfig(copy, { env: {} })).toThrow(/LEVIATHAN_HMAC_SECRET/);
    // A structured clone (what a worker receives) is plain data without the mark.
    expect(isResolvedConfig(structuredClone(config))).toBe(false);
  });
});

describe('resolveConfig parsing', () => {
  it('parses every type from strings', () => {
    const config = resolveConfig(
      {},
      {
        env: {
          ...ENV,
          LEVIATHAN_COMMAND_RATE_PER_SECOND: '2.5',
          LEVIATHAN_LOG_PRETTY: 'yes',
          LEVIATHAN_TRANSPORT: 'uws',
          LEVIATHAN_GAME_OPTIONS: '{"seed": 42, "names": ["a"]}',
          LEVIATHAN_ZONE_SHARDS: 'town=0, forest=1',
          LEVIATHAN_STORE_KIND: 'postgres',
          LEVIATHAN_STORE_URL: 'postgres://lev:pw@127.0.0.1/lev',
          LEVIATHAN_STORE_SQLITE_DRIVER: 'better-sqlite3',
        },
        argv: [
          '--shards=2',
          '--store-sqlite-driver=node:sqlite',
          '--tls-key-file',
          'k.pem',
          '--tls-cert-file=c.pem',
          '--no-log-pretty',
          '--transport=node',
        ],
      },
    );
    expect(config.commandRate.perSecond).toBe(2.5);
    expect(config.log.pretty).toBe(false); // the flag wins over the environment
    expect(config.transport).toBe('node');
    expect(config.gameOptions).toEqual({ seed: 42, names: ['a'] });
    expect(config.zoneShards).toEqual({ town: 0, forest: 1 });
    expect(config.store.kind).toBe('postgres');
    expect(config.store.sqliteDriver).toBe('node:sqlite'); // the flag wins over the environment
    expect(config.tls).toEqual({ keyFile: 'k.pem', certFile: 'c.pem' });
  });

  it('accepts a JSON zone map and --dev-auth', () => {
    const config = resolveConfig(
      {},
      { env: {}, argv: ['--zone-shards', '{"town":1}', '--shards', '2', '--dev-auth'] },
    );
    expect(config.zoneShards).toEqual({ town: 1 });
    expect(config.auth.mode).toBe('dev');
  });

  it('reads nested YAML and JSON files', () => {
    const yaml = tempFile(
      'lev.yml',
      'auth:\n  mode: dev\n  rate:\n    burst: 3\ncommandRate:\n  perSecond: 5\nzoneShards:\n  town: 0\ngameOptions:\n  difficulty: hard\n',
    );
    const config = resolveConfig({}, { env: {}, file: yaml });
    expect(config.auth.rate).toEqual({ perSecond: 1, burst: 3 });
    expect(config.commandRate).toEqual({ perSecond: 5, burst: 40 });
    expect(config.gameOptions).toEqual({ difficulty: 'hard' });
    const json = tempFile(
      'lev.json',
      JSON.stringify({ auth: { mode: 'dev' }, store: { dataDir: '/var/lev' } }),
    );
    expect(resolveConfig({}, { env: {}, file: json }).store.dataDir).toBe('/var/lev');
  });

  it('resolves relative paths written in a file against the file, and nowhere else', () => {
    const path = tempFile(
      'paths.yaml',
      'tls:\n  keyFile: certs/key.pem\n  certFile: /etc/lev/cert.pem\nstore:\n  dataDir: ../data\nwebRoot: web\ngame: ./games/my-game.js\nauth:\n  mode: custom\n  customVerifier: my-auth-package\n',
    );
    const dir = join(path, '..');
    const config = resolveConfig({}, { env: {}, file: path });
    expect(config.tls).toEqual({ keyFile: join(dir, 'certs/key.pem'), certFile: '/etc/lev/cert.pem' });
    expect(config.store.dataDir).toBe(join(dir, '../data'));
    expect(config.webRoot).toBe(join(dir, 'web'));
    expect(config.game).toBe(join(dir, 'games/my-game.js'));
    expect(config.auth.customVerifier).toBe('my-auth-package'); // a package name stays as is
    const fromFlags = resolveConfig(
      {},
      { env: {}, file: path, argv: ['--web-root', 'web', '--game', '@acme/game'] },
    );
    expect(fromFlags.webRoot).toBe('web');
    expect(fromFlags.game).toBe('@acme/game');
  });

  it('resolves a relative file against cwd', () => {
    const path = tempFile('rel.json', '{"port": 1234}');
    const dir = join(path, '..');
    expect(resolveConfig({}, { env: ENV, file: 'rel.json', cwd: dir }).port).toBe(1234);
  });
});

describe('resolveConfig errors name the key and the source', () => {
  it('reports every problem at once', () => {
    const issues = issuesOf(() =>
      resolveConfig(
        { tickHz: 0 },
        {
          env: { ...ENV, LEVIATHAN_PORT: 'eighty', LEVIATHAN_SHARDS: '2.5' },
          argv: ['--max-connections', '-1'],
        },
      ),
    );
    expect(issues).toEqual([
      { key: 'tickHz', message: 'must be a number from 1 to 1000, got 0', source: 'code', origin: 'code' },
      {
        key: 'port',
        message: 'must be an integer from 0 to 65535, got "eighty"',
        source: 'env',
        origin: 'environment variable LEVIATHAN_PORT',
      },
      {
        key: 'shards',
        message: 'must be an integer from 1 to 256, got "2.5"',
        source: 'env',
        origin: 'environment variable LEVIATHAN_SHARDS',
      },
      {
        key: 'maxConnections',
        message: 'must be an integer from 1 to 10000000, got -1',
        source: 'flag',
        origin: 'flag --max-connections',
      },
    ]);
  });

  it('puts key and origin in the message', () => {
    expect(() => resolveConfig({}, { env: { ...ENV, LEVIATHAN_LOG_LEVEL: 'loud' } })).toThrow(
      'invalid configuration: log.level: must be one of trace, debug, info, warn, error, fatal, silent, got "loud" (from environment variable LEVIATHAN_LOG_LEVEL)',
    );
  });

  it('suggests the flag meant by a typo, and skips its value', () => {
    const issues = issuesOf(() => resolveConfig({}, { env: ENV, argv: ['--prot', '9000'] }));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('did you mean --port?');
  });

  it('rejects unknown keys in a file, with a hint', () => {
    const file = tempFile('bad.yaml', 'tickhz: 20\nauth:\n  mdoe: dev\n');
    const issues = issuesOf(() => resolveConfig({}, { env: ENV, file }));
    expect(issues.map((i) => [i.key, i.message, i.source])).toEqual([
      ['tickhz', 'unknown option (did you mean tickHz?)', 'file'],
      ['auth.mdoe', 'unknown option (did you mean auth.mode?)', 'file'],
    ]);
    expect(issues[0]!.origin).toBe(`file ${file}`);
  });

  it('refuses secrets anywhere but the environment', () => {
    const file = tempFile('secret.yaml', `auth:\n  hmacSecret: ${SECRET}\n`);
    const issues = issuesOf(() => resolveConfig({}, { env: ENV, file }));
    expect(issues[0]!.key).toBe('auth.hmacSecret');
    expect(issues[0]!.message).toContain('secrets are read only from the environment');
    expect(issues[0]!.message).toContain('LEVIATHAN_HMAC_SECRET');
    const fromCode = issuesOf(() => resolveConfig({ auth: { hmacSecret: SECRET } as never }, { env: ENV }));
    expect(fromCode[0]!.source).toBe('code');
  });

  it("refuses the dashboard's token anywhere but the environment", () => {
    const file = tempFile('dashboard.yaml', 'dashboard:\n  enabled: true\n  token: hunter2\n');
    const issues = issuesOf(() => resolveConfig({}, { env: ENV, file }));
    expect(issues.map((i) => i.key)).toEqual(['dashboard.token']);
    expect(issues[0]!.message).toContain('dashboard.tokenEnv names (default LEVIATHAN_DASHBOARD_TOKEN)');
  });

  it('requires the HMAC secret in hmac mode, at least 32 bytes', () => {
    const missing = issuesOf(() => resolveConfig({}, { env: {} }));
    expect(missing[0]!.key).toBe('auth.mode');
    expect(missing[0]!.message).toContain('LEVIATHAN_HMAC_SECRET');
    const short = issuesOf(() => resolveConfig({}, { env: { LEVIATHAN_HMAC_SECRET: 'short' } }));
    expect(short[0]!.message).toBe('the secret in LEVIATHAN_HMAC_SECRET is 5 bytes; it needs at least 32');
    const renamed = resolveConfig({ auth: { hmacSecretEnv: 'MY_SECRET' } }, { env: { MY_SECRET: SECRET } });
    expect(renamed.auth.hmacSecretEnv).toBe('MY_SECRET');
  });

  it('checks options together: TLS pairs, zone placement, postgres url', () => {
    const issues = issuesOf(() =>
      resolveConfig(
        { tls: { keyFile: 'k.pem' }, shards: 2, zoneShards: { town: 2 } },
        { env: { ...ENV, LEVIATHAN_STORE_KIND: 'postgres' } },
      ),
    );
    expect(issues.map((i) => i.key)).toEqual(['tls.certFile', 'zoneShards', 'store.url']);
    expect(issues[1]!.message).toBe('zone "town" is placed on shard 2, but there are 2 shards (0 to 1)');
    expect(issues[2]!.origin).toBe('environment variable LEVIATHAN_STORE_KIND');
  });

  it('refuses idle timeouts uWS cannot do and malformed values', () => {
    const issues = issuesOf(() =>
      resolveConfig(
        {},
        {
          env: ENV,
          argv: [
            '--idle-timeout-sec',
            '4',
            '--zone-shards',
            'town',
            '--game-options',
            '[1]',
            '--log-pretty=maybe',
            '--transport=js',
            '--store-sqlite-driver=sqlite3',
            '--port',
          ],
        },
      ),
    );
    expect(issues.map((i) => [i.key, i.message])).toEqual([
      ['idleTimeoutSec', 'must be 0 (off) or from 8 to 960, got 4'],
      ['zoneShards', 'must be zone=shard pairs separated by commas (town=0,forest=1), got "town"'],
      ['gameOptions', 'must be an object, got [1]'],
      ['log.pretty', 'must be true or false, got "maybe"'],
      ['transport', 'must be one of auto, uws, node, got "js"'],
      ['store.sqliteDriver', 'must be one of auto, better-sqlite3, node:sqlite, got "sqlite3"'],
      ['port', 'needs a value'],
    ]);
  });

  it('refuses prototype-polluting keys in JSON options', () => {
    const issues = issuesOf(() =>
      resolveConfig({}, { env: { ...ENV, LEVIATHAN_GAME_OPTIONS: '{"__proto__": {"x": 1}}' } }),
    );
    expect(issues[0]!.message).toContain('forbidden key "__proto__"');
  });

  it('throws ConfigFileError for a missing or unparseable file', () => {
    expect(() => resolveConfig({}, { env: ENV, file: '/nonexistent/lev.yaml' })).toThrow(ConfigFileError);
    const bad = tempFile('bad.json', '{"port": ');
    expect(() => resolveConfig({}, { env: ENV, file: bad })).toThrow(/is not valid JSON/);
    const list = tempFile('list.yaml', '- 1\n- 2\n');
    expect(() => resolveConfig({}, { env: ENV, file: list })).toThrow(/mapping of options/);
  });

  it('warns about unknown LEVIATHAN_ variables but not the secrets', () => {
    const warnings: string[] = [];
    resolveConfig(
      {},
      {
        env: {
          ...ENV,
          LEVIATHAN_PROT: '1',
          LEVIATHAN_HMAC_PREVIOUS_SECRET: SECRET,
          LEVIATHAN_DASHBOARD_TOKEN: 'a-token',
          OTHER: 'x',
        },
        onWarning: (w) => warnings.push(w),
      },
    );
    expect(warnings).toEqual([
      'unknown environment variable LEVIATHAN_PROT ignored (did you mean LEVIATHAN_PORT?)',
    ]);
  });
});

describe('the option table', () => {
  it('names every env variable and flag after its key', () => {
    const byKey = new Map(CONFIG_OPTIONS.map((o) => [o.key, o]));
    expect(byKey.get('commandRate.perSecond')?.env).toBe('LEVIATHAN_COMMAND_RATE_PER_SECOND');
    expect(byKey.get('commandRate.perSecond')?.flag).toBe('--command-rate-per-second');
    expect(byKey.get('tickHz')?.flag).toBe('--tick-hz');
    expect(new Set(CONFIG_OPTIONS.map((o) => o.env)).size).toBe(CONFIG_OPTIONS.length);
  });

  it('has valid defaults for every option', () => {
    for (const cores of [1, 2, 64]) {
      expect(() => resolveConfig({ auth: { mode: 'dev' } }, { env: {}, cores })).not.toThrow();
    }
  });

  it('covers every field of EngineConfig and nothing else', () => {
    const config = resolveConfig({}, { env: ENV });
    const leaves: string[] = [];
    const walk = (obj: Record<string, unknown>, prefix: string) => {
      for (const [k, v] of Object.entries(obj)) {
        const key = prefix + k;
        if (typeof v === 'object' && v !== null && !['gameOptions', 'zoneShards'].includes(key)) {
          walk(v as Record<string, unknown>, `${key}.`);
        } else leaves.push(key);
      }
    };
    walk(config as unknown as Record<string, unknown>, '');
    expect(leaves.sort()).toEqual(CONFIG_OPTIONS.map((o) => o.key).sort());
  });
});
