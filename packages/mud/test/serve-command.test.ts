import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { WORLD_DIR } from './helpers/mud-server.js';

vi.setConfig({ testTimeout: 120_000 });

const SOURCE_CLI = fileURLToPath(new URL('../../engine/src/cli/main.ts', import.meta.url));
const DIST_CLI = fileURLToPath(new URL('../../engine/dist/cli/main.js', import.meta.url));
const BUILT_GAME = fileURLToPath(new URL('../dist/game/mud-game.js', import.meta.url));
/** A project that installed @leviathan/engine and @leviathan/mud: the example MUD's directory. */
const PROJECT = fileURLToPath(new URL('../../../examples/mud/', import.meta.url));

/**
 * `leviathan serve --game @leviathan/mud/game` in its own process, run from a project that
 * installed both packages; resolves once it listens.
 */
function serve(
  cli: string,
  dataDir: string,
): Promise<{ child: ChildProcess; port: number; exited: Promise<unknown> }> {
  const runner = cli.endsWith('.ts') ? ['--conditions=source', '--import', 'tsx'] : [];
  const child = spawn(
    process.execPath,
    [
      ...runner,
      cli,
      'serve',
      '--dev-auth',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--shards',
      '1',
      '--gateway-threads',
      '1',
      '--game',
      '@leviathan/mud/game',
      '--game-options',
      JSON.stringify({ world: WORLD_DIR }),
      '--store-data-dir',
      dataDir,
      '--log-level',
      'info',
    ],
    { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not listen within 60 s: ${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /"msg":"listening on [^"]*:(\d+) /.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), exited });
      }
    });
  });
}

// The MUD served without code: `leviathan serve --game @leviathan/mud/game`, the package's module
// resolved from the working directory (under pnpm's strict layout the engine cannot see the MUD
// package from its own files). From the sources (tsx, the `source` condition: src/game/mud-game.ts)
// and from the build (`pnpm test` builds first; `dist/` is what users run).
describe('leviathan serve --game @leviathan/mud/game', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const cases = [
    { from: 'source', cli: SOURCE_CLI },
    { from: 'dist', cli: DIST_CLI },
  ];
  it.each(cases)('serves the MUD from $from', async ({ cli }) => {
    for (const file of cli.endsWith('.ts') ? [cli] : [cli, BUILT_GAME])
      if (!existsSync(file)) throw new Error(`${file} is missing: run pnpm build first`);
    const dir = mkdtempSync(join(tmpdir(), 'lev-builtin-'));
    dirs.push(dir);
    const { child, port, exited } = await serve(cli, dir);
    children.push(child);
    const ann = await MudClient.login(`ws://127.0.0.1:${port}/ws`, 'ann');
    expect(ann.received.find((m) => m.type === 'room')).toMatchObject({ id: 'harbor:square' });
    expect((await ann.cmd('look')).text).toContain('Fishmarket Square');
    // A command refused with the engine's CommandError (imported by the MUD from the engine's root)
    // is a refusal the shard recognises, not a crash: one CommandError class in the process.
    expect(await ann.cmd('get')).toMatchObject({ ok: false, text: 'Get what?' });
    await ann.closeAndWait();
    child.kill('SIGTERM');
    await exited;
    expect(child.exitCode).toBe(0);
  });
});
