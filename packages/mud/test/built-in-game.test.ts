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

const SOURCE_CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const DIST_CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** `leviathan serve --game mud` in its own process; resolves once it listens. */
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
      'mud',
      '--game-options',
      JSON.stringify({ world: WORLD_DIR }),
      '--store-data-dir',
      dataDir,
      '--log-level',
      'info',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
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

// `leviathan serve --game mud` names the MUD as a built-in game, from the sources (tsx) and from
// the build (`pnpm test` builds before it runs the tests; `dist/` is what users run).
describe('the built-in game "mud"', () => {
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
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run pnpm build first`);
    const dir = mkdtempSync(join(tmpdir(), 'lev-builtin-'));
    dirs.push(dir);
    const { child, port, exited } = await serve(cli, dir);
    children.push(child);
    const ann = await MudClient.login(`ws://127.0.0.1:${port}/ws`, 'ann');
    expect(ann.received.find((m) => m.type === 'room')).toMatchObject({ id: 'harbor:square' });
    expect((await ann.cmd('look')).text).toContain('Fishmarket Square');
    await ann.closeAndWait();
    child.kill('SIGTERM');
    await exited;
    expect(child.exitCode).toBe(0);
  });
});
