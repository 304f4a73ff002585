import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { captureIo as io } from '../../test/helpers/capture-io.js';
import { hmacVerifier } from '../auth/hmac-verifier.js';
import { CONFIG_OPTIONS } from '../config/config-options.js';
import { runCli } from './run-cli.js';

const ENGINE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const SECRET = 's'.repeat(32);
/** A game for the served processes: the engine has none of its own. */
const TEST_GAME = fileURLToPath(new URL('../../test/fixtures/test-game.ts', import.meta.url));

describe('runCli', () => {
  it('prints the version from package.json', async () => {
    const t = io();
    expect(await runCli(['--version'], t.io)).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ENGINE_DIR, 'package.json'), 'utf8')) as { version: string };
    expect(t.out()).toBe(`${pkg.version}\n`);
  });

  it('prints help; without a command that is a usage error', async () => {
    const t = io();
    expect(await runCli(['--help'], t.io)).toBe(0);
    expect(t.out()).toContain('serve');
    expect(t.out()).toContain('Run the game server');
    const bare = io();
    expect(await runCli([], bare.io)).toBe(2);
  });

  it('documents every flag, its env variable and examples in serve --help', async () => {
    const t = io();
    expect(await runCli(['serve', '--help'], t.io)).toBe(0);
    for (const option of CONFIG_OPTIONS) {
      if (option.flag) expect(t.out()).toContain(option.flag);
      expect(t.out()).toContain(option.env);
    }
    expect(t.out()).toContain('Examples:');
    expect(t.out()).toContain('--dev-auth');
    const viaHelp = io();
    expect(await runCli(['help', 'serve'], viaHelp.io)).toBe(0);
    expect(viaHelp.out()).toBe(t.out());
  });

  it('refuses an unknown command with a hint and exit code 2', async () => {
    const t = io();
    expect(await runCli(['serv'], t.io)).toBe(2);
    expect(t.err()).toBe('leviathan: unknown command "serv" (did you mean serve?); try leviathan --help\n');
  });

  it('refuses bad flags with one clear message per problem and exit code 2', async () => {
    const t = io({ LEVIATHAN_HMAC_SECRET: SECRET });
    expect(await runCli(['serve', '--prot', '80', '--tick-hz', 'fast'], t.io)).toBe(2);
    expect(t.err()).toBe(
      'leviathan serve: invalid configuration:\n' +
        '  --prot: unknown flag (did you mean --port?); see leviathan serve --help (from command line)\n' +
        '  tickHz: must be a number from 1 to 1000, got "fast" (from flag --tick-hz)\n',
    );
    expect(t.out()).toBe('');
  });

  it('refuses to serve without an HMAC secret unless dev auth is asked for', async () => {
    const t = io({});
    expect(await runCli(['serve'], t.io)).toBe(2);
    expect(t.err()).toContain('LEVIATHAN_HMAC_SECRET');
    expect(t.err()).toContain('--dev-auth');
  });

  it('refuses to serve without a game, naming the option and how to give one (exit code 2)', async () => {
    const t = io({});
    expect(await runCli(['serve', '--dev-auth'], t.io)).toBe(2);
    expect(t.err()).toMatch(
      /^leviathan serve: invalid configuration: game: required: the game module to serve/,
    );
    expect(t.err()).toContain('--game ./my-game.js');
    expect(t.err()).toContain('--game @leviathan/mud/game');
    expect(t.err().trim().split('\n')).toHaveLength(1);
    // The same from the environment: LEVIATHAN_GAME is the option too.
    const withEnv = io({ LEVIATHAN_GAME: '' });
    expect(await runCli(['serve', '--dev-auth'], withEnv.io)).toBe(2);
  });

  it('prints the resolved configuration with origins, flags over env over file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lev-cli-'));
    writeFileSync(join(dir, 'lev.yaml'), 'port: 1111\ntickHz: 5\nshards: 3\n');
    const t = io(
      {
        LEVIATHAN_PORT: '2222',
        LEVIATHAN_TICK_HZ: '20',
        LEVIATHAN_STORE_URL: 'postgres://lev:hunter2@127.0.0.1/lev',
      },
      dir,
    );
    expect(
      await runCli(['serve', '--print-config', '--config', 'lev.yaml', '--port', '3333', '--dev-auth'], t.io),
    ).toBe(0);
    const printed = JSON.parse(t.out()) as {
      config: {
        port: number;
        tickHz: number;
        shards: number;
        auth: { mode: string };
        store: { url: string };
      };
      origins: Record<string, string>;
      file: string;
    };
    expect(printed.config).toMatchObject({ port: 3333, tickHz: 20, shards: 3, auth: { mode: 'dev' } });
    expect(printed.origins.port).toBe('flag --port');
    expect(printed.origins.tickHz).toBe('environment variable LEVIATHAN_TICK_HZ');
    expect(printed.origins.shards).toBe(`file ${join(dir, 'lev.yaml')}`);
    expect(printed.origins['auth.mode']).toBe('flag --dev-auth');
    expect(printed.config.store.url).toBe('postgres://lev:***@127.0.0.1/lev');
    expect(t.out()).not.toContain('hunter2');
  });

  it('reports a missing config file as a usage error', async () => {
    const t = io({});
    expect(await runCli(['serve', '--dev-auth', '--config', '/nonexistent/lev.yaml'], t.io)).toBe(2);
    expect(t.err()).toBe('leviathan serve: configuration file /nonexistent/lev.yaml: not found\n');
  });
});

describe('leviathan token', () => {
  it('signs a token that the HMAC verifier accepts, with roles and expiry', async () => {
    const t = io({ LEVIATHAN_HMAC_SECRET: SECRET });
    expect(
      await runCli(['token', '--username', 'alice', '--roles', 'player,gm', '--expires-in', '60'], t.io),
    ).toBe(0);
    const token = t.out().trim();
    const verifier = hmacVerifier({ secret: SECRET });
    expect(await verifier.verify({ username: 'alice', token, remoteAddress: '127.0.0.1' })).toEqual({
      ok: true,
      username: 'alice',
      roles: ['player', 'gm'],
    });
    const later = hmacVerifier({ secret: SECRET, clockSkewSec: 0, now: () => Date.now() + 61_000 });
    expect((await later.verify({ username: 'alice', token, remoteAddress: '127.0.0.1' })).ok).toBe(false);
  });

  it('reads the secret from the variable named by --secret-env', async () => {
    const t = io({ MY_SECRET: SECRET });
    expect(await runCli(['token', '--username', 'bob', '--secret-env', 'MY_SECRET'], t.io)).toBe(0);
    const token = t.out().trim();
    expect(
      (await hmacVerifier({ secret: SECRET }).verify({ username: 'bob', token, remoteAddress: '::1' })).ok,
    ).toBe(true);
  });

  it('explains what is wrong in one line, exit code 2', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['token'], { LEVIATHAN_HMAC_SECRET: SECRET }, '--username is required'],
      [['token', '--username', 'alice'], {}, 'LEVIATHAN_HMAC_SECRET holding the secret is not set'],
      [['token', '--username', 'alice'], { LEVIATHAN_HMAC_SECRET: 'short' }, 'it needs at least 32'],
      [['token', '--username', 'no spaces'], { LEVIATHAN_HMAC_SECRET: SECRET }, 'is not a valid username'],
      [['token', '--username', 'a', '--expires-in', '-5'], { LEVIATHAN_HMAC_SECRET: SECRET }, '--expires-in'],
      [
        ['token', '--username', 'a', '--secret', 'x'],
        { LEVIATHAN_HMAC_SECRET: SECRET },
        "Unknown option '--secret'",
      ],
    ];
    for (const [argv, env, message] of cases) {
      const t = io(env);
      expect(await runCli(argv, t.io), argv.join(' ')).toBe(2);
      expect(t.err()).toContain(message);
      expect(t.err().trim().split('\n')).toHaveLength(1);
      expect(t.out()).toBe('');
    }
  });
});

/** Runs the CLI as a real process from source, as the bin does from dist. */
function cli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], {
    cwd: ENGINE_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the leviathan process', () => {
  it('exits 2 on a bad flag, with one line on stderr', async () => {
    const result = await finished(cli(['serve', '--dev-auth', '--shards', 'many']));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'leviathan serve: invalid configuration: shards: must be an integer from 1 to 256, got "many" (from flag --shards)\n',
    );
  });

  it('serves, then stops gracefully on SIGTERM with exit code 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lev-serve-'));
    const child = cli([
      'serve',
      '--dev-auth',
      '--game',
      TEST_GAME,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--shards',
      '1',
      '--gateway-threads',
      '1',
      '--store-data-dir',
      dataDir,
    ]);
    const done = finished(child);
    // Wait for the server's "listening" log line (event-driven, generous bound).
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`no listening line within 60 s:\n${seen}`)), 60_000);
      child.stdout!.on('data', (d: string) => {
        seen += d;
        if (/"msg":"listening on/.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('close', () => {
        clearTimeout(timer);
        reject(new Error(`exited before listening:\n${seen}`));
      });
    });
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('development auth mode is ON'))).toBe(
      true,
    );
    const listening = lines.find((l) => String(l.msg).startsWith('listening on'));
    expect(listening?.port).toBeGreaterThan(0);
    expect(lines.some((l) => l.signal === 'SIGTERM' && l.msg === 'shutting down')).toBe(true);
  }, 90_000);

  it('stops gracefully when SIGTERM arrives during startup, before it listens', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lev-serve-'));
    const child = cli([
      'serve',
      '--dev-auth',
      '--game',
      TEST_GAME,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--shards',
      '1',
      '--store-data-dir',
      dataDir,
    ]);
    const done = finished(child);
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stdout!.on('data', (d: string) => {
        seen += d;
        if (seen.includes('"msg":"configuration resolved"')) resolve();
      });
      child.once('close', () => reject(new Error(`exited early:\n${seen}`)));
    });
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('"msg":"shutting down"');
  }, 90_000);
});
