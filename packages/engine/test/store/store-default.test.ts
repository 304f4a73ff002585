import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MudClient } from '../../../mud/test/helpers/mud-client.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';

vi.setConfig({ testTimeout: 120_000 });

const FIXTURE = fileURLToPath(new URL('../fixtures/bare-embed.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/tsx/dist/loader.mjs', import.meta.url));

/** Runs the bare embed with `cwd` as its working directory; resolves once it listens. */
function start(cwd: string): Promise<{ child: ChildProcess; port: number; lines: string[] }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', TSX, FIXTURE], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no LISTENING within 60 s: ${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const m = /^LISTENING (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), lines });
      }
    });
  });
}

// A bare createServer() persists: the embedded store under ./.leviathan-data of the working
// directory (the documented default), so a character survives a restart with no store option.
describe('the default store of a bare createServer()', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is the embedded store under ./.leviathan-data', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lev-bare-'));
    dirs.push(cwd);
    const { child, port, lines } = await start(cwd);
    children.push(child);
    const ann = await MudClient.login(`ws://127.0.0.1:${port}/ws`, 'ann', { capabilities: [] });
    await ann.closeAndWait();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin!.end('close\n');
    await exited;
    expect(lines).toContain('CLOSED');
    const dataDir = join(cwd, '.leviathan-data');
    expect(existsSync(dataDir)).toBe(true);
    expect(readdirSync(dataDir).length).toBeGreaterThan(0);
    const store = await EmbeddedStore.open({ dataDir });
    try {
      expect(await store.loadCharacter('ann')).toBeDefined();
      expect(await store.loadCharacter('nobody')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
