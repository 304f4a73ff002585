import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MudClient } from '../../../mud/test/helpers/mud-client.js';
import { startMud } from '../../../mud/test/helpers/mud-server.js';
import type { LeviathanServer } from '../../src/server/create-server.js';

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
    // auth-ok.token: the session token logs in again without the password.
    const token = again.received.find((m) => m.type === 'auth-ok')?.token as string;
    expect(token).toMatch(/\S{20,}/);
    again.close();
    await again.closed;
    const byToken = await MudClient.login(url, 'vera', { token });
    expect(byToken.received.find((m) => m.type === 'auth-ok')).toMatchObject({ username: 'Vera' });
    byToken.close();
    await byToken.closed;
    await expect(MudClient.login(url, 'vera', { token: `${token}x` })).rejects.toThrow(/session/);
  });

  it('lets the web client reconnect with the session token, not the password', async () => {
    // The browser client's connection module over a real socket (the `ws` package stands in for
    // the browser's WebSocket: same API), against the real server.
    const sockets: Array<{ sent: string[]; terminate(): void }> = [];
    class RecordingWebSocket extends WebSocket {
      readonly sent: string[] = [];
      constructor(address: string) {
        super(address);
        sockets.push(this);
      }
      override send(data: string): void {
        this.sent.push(data);
        super.send(data);
      }
    }
    const g = globalThis as { WebSocket?: unknown };
    const previous = g.WebSocket;
    g.WebSocket = RecordingWebSocket;
    try {
      const { createConnection } = (await import(
        new URL('../../../mud/web/connection.js', import.meta.url).href
      )) as {
        createConnection(o: {
          url: string;
          onMessage: (m: unknown) => void;
          onStatus: (s: string) => void;
        }): { connect(c: object): void; close(): void };
      };
      let online = 0;
      let wake: () => void = () => {};
      const conn = createConnection({
        url,
        onMessage: () => {},
        onStatus: (s) => {
          if (s === 'online') {
            online++;
            wake();
          }
        },
      });
      const onlineCount = (n: number) =>
        new Promise<void>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`not online ${n} times within 30 s`)), 30_000);
          wake = () => {
            if (online >= n) {
              clearTimeout(t);
              resolve();
            }
          };
          wake();
        });
      conn.connect({ mode: 'register', username: 'Wren', secret: 'tide-pool-77' });
      await onlineCount(1);
      expect(JSON.parse(sockets[0]!.sent[0]!)).toMatchObject({ type: 'register', password: 'tide-pool-77' });
      sockets[0]!.terminate(); // the network drops
      await onlineCount(2);
      const first = JSON.parse(sockets.at(-1)!.sent[0]!) as Record<string, unknown>;
      expect(first).toMatchObject({ type: 'auth', username: 'Wren' });
      expect(first.token).toMatch(/\S{20,}/);
      expect(first.password).toBeUndefined();
      conn.close();
    } finally {
      g.WebSocket = previous;
    }
  });
});
