import { connect } from 'node:net';
import type { AuthVerifier, LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud, testVerifier, WORLD_DIR } from './helpers/mud-server.js';
import { TcpClient } from './helpers/tcp-client.js';

vi.setConfig({ testTimeout: 120_000 });

// The MUD's `telnetPort` option: the telnet bridge runs as a game service, started by the server
// and stopped on close, and the gateway sees each telnet player's own address (forwarded by the
// bridge, trusted from loopback).
const seen = new Map<string, string>();
const recording: AuthVerifier = {
  async verify(request) {
    seen.set(request.username, request.remoteAddress);
    return testVerifier.verify(request);
  },
};
let server: LeviathanServer | undefined;
let telnetPort: number;

beforeAll(async () => {
  ({ server } = await startMud({
    gameOptions: { world: WORLD_DIR, telnetPort: 0, telnetBanner: 'Ahoy.' },
    verifier: recording,
  }));
  telnetPort = server.services.get('telnet')!.port!;
});
afterAll(async () => {
  await server?.close();
});

describe('the telnet port of the server', () => {
  it('serves line-mode players, and the gateway sees their own address', async () => {
    expect(telnetPort).toBeGreaterThan(0);
    // A client from 127.0.0.2 (loopback, but not the bridge's own 127.0.0.1).
    const t = new TcpClient(telnetPort, '127.0.0.2');
    try {
      await t.waitFor('Ahoy.');
      await t.waitFor('By what name are you known?');
      t.line('tia');
      await t.waitFor('Password');
      t.line('test-token');
      await t.waitFor('Fishmarket Square');
      expect(seen.get('tia')).toBe('127.0.0.2');
      // A WebSocket client straight to the gateway keeps its own address.
      const ws = await MudClient.login(`ws://127.0.0.1:${server!.port}/ws`, 'wes');
      await ws.closeAndWait();
      expect(seen.get('wes')).not.toBe('127.0.0.2');
      expect(seen.get('wes')).toMatch(/127\.0\.0\.1|7f00:0001/);
    } finally {
      t.socket.destroy();
      await t.closed;
    }
  });

  it('closes the telnet port with the server', async () => {
    const t = new TcpClient(telnetPort);
    await t.waitFor('By what name are you known?');
    await server!.close();
    server = undefined;
    await t.waitFor('shutting down');
    await t.closed;
    const refused = await new Promise<string>((resolve) => {
      const s = connect(telnetPort, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
