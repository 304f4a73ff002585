import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MudClient } from '../../../mud/test/helpers/mud-client.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { startBareEmbed } from '../helpers/bare-embed-process.js';

vi.setConfig({ testTimeout: 120_000 });

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
    const { child, port, lines } = await startBareEmbed(cwd);
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
