import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, databaseUrl, type TestDatabase } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-command.js';
import { runCli } from '../../src/cli/run-cli.js';

function io(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
    cwd: process.cwd(),
    onShutdownSignal: () => () => {},
    out: () => out,
    err: () => err,
  };
}

describe('leviathan migrate', () => {
  it('refuses a missing or unknown action, and postgres without a URL', async () => {
    const a = io();
    expect(await runCli(['migrate'], a)).toBe(2);
    expect(a.err()).toMatch(/up, down or status/);
    expect(await runCli(['migrate', 'sideways'], io())).toBe(2);
    const b = io();
    expect(await runCli(['migrate', 'up', '--store-kind', 'postgres'], b)).toBe(2);
    expect(b.err()).toMatch(/store\.url/);
    expect(await runCli(['migrate', 'down', '--steps', 'x'], io())).toBe(2);
  });

  it('migrates the embedded store up, and refuses down on it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lev-mig-cli-'));
    try {
      const a = io();
      expect(await runCli(['migrate', 'up', '--store-data-dir', dir], a)).toBe(0);
      expect(a.out()).toMatch(/up to date/);
      expect(await runCli(['migrate', 'down', '--store-data-dir', dir], io())).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.skipIf(!databaseUrl())('on postgres', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase('cli');
    });
    afterAll(async () => db?.drop());

    it('status, two concurrent up, status, down', async () => {
      const env = { LEVIATHAN_STORE_KIND: 'postgres', LEVIATHAN_STORE_URL: db.url };
      const s1 = io(env);
      expect(await runCli(['migrate', 'status'], s1)).toBe(0);
      expect(s1.out()).toMatch(/0001_initial\s+pending/);

      const [a, b] = [io(env), io(env)];
      expect(await Promise.all([runCli(['migrate', 'up'], a), runCli(['migrate', 'up'], b)])).toEqual([0, 0]);
      const outs = [a.out(), b.out()].sort();
      expect(outs[0]).toMatch(/^applied 1, 2; schema at version 2/);
      expect(outs[1]).toMatch(/^nothing to do; schema at version 2/);

      const s2 = io(env);
      expect(await runCli(['migrate', 'status'], s2)).toBe(0);
      expect(s2.out()).toMatch(/0001_initial\s+applied \d{4}-/);
      expect(s2.out()).toMatch(/0002_zone_fences\s+applied \d{4}-/);

      const d = io(env);
      expect(await runCli(['migrate', 'down', '--steps', '1'], d)).toBe(0);
      expect(d.out()).toMatch(/reverted 2; schema at version 1/);
    });

    it('reports an unreachable database as a failure with its code', async () => {
      const e = io();
      const code = await runCli(
        ['migrate', 'up', '--store-kind', 'postgres', '--store-url', 'postgres://lev@127.0.0.1:1/none'],
        e,
      );
      expect(code).toBe(1);
      expect(e.err()).toMatch(/LEV_ERR_STORE_/);
    });
  });
});
