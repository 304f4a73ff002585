import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeviathanServer } from '../../src/server/create-server.js';
import { MudClient } from '../mud/helpers/mud-client.js';
import { startMud } from '../mud/helpers/mud-server.js';

/**
 * Accounts over the wire (auth mode `accounts`): the protocol's `register` creates an account and
 * logs in, `auth` with `password` logs in again, wrong passwords, taken names and dev tokens are
 * refused, all through a real server and its embedded store.
 */
describe('accounts through a real server', () => {
  let server: LeviathanServer;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lev-acc-srv-'));
    ({ server, url } = await startMud({
      store: { kind: 'embedded', dataDir: dir },
      auth: { mode: 'accounts' },
      verifier: undefined,
    }));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const register = (name: string, password: string) =>
    MudClient.login(url, name, { type: 'register', token: undefined, password });
  const login = (name: string, password: string) =>
    MudClient.login(url, name, { token: undefined, password });

  it('registers, logs in with the password, and refuses what it should', async () => {
    const vera = await register('Vera', 'sea-glass-42');
    expect(vera.received.find((m) => m.type === 'auth-ok')).toMatchObject({ username: 'Vera' });
    vera.close();
    await vera.closed;

    await expect(register('vera', 'another-password')).rejects.toThrow(/taken/);
    await expect(register('x y', 'another-password')).rejects.toThrow();
    await expect(register('Short', 'pw')).rejects.toThrow(/password/);
    await expect(login('Vera', 'wrong-password')).rejects.toThrow(/wrong username or password/);
    await expect(login('Nobody', 'sea-glass-42')).rejects.toThrow(/wrong username or password/);
    await expect(MudClient.login(url, 'Vera')).rejects.toThrow(/session/);

    const again = await login('vera', 'sea-glass-42');
    expect(again.received.find((m) => m.type === 'auth-ok')).toMatchObject({ username: 'Vera' });
    again.close();
  });
});
