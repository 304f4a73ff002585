import { CloseCode, ErrorCode, FORWARDED_HEADER } from '@leviathan/protocol';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadUws } from '../src/gateway/transport/choose.js';
import { type CreateServerOptions, UwsUnavailableError } from '../src/index.js';
import { createLogger } from '../src/logging/logger.js';
import { metricValue } from './helpers/prometheus-text.js';
import { RawWsClient } from './helpers/raw-ws-client.js';
import { enter, resumeWith } from './helpers/sessions.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';
import { TRANSPORTS } from './helpers/transports.js';

// What every transport must do beside the protocol (protocol-handling, http-and-limits,
// backpressure and output-budget run on each transport too): say which one runs, refuse what is
// not /ws, take a loopback proxy's forwarded address, keep a dropped player for its resume, and
// close within the shutdown deadline whatever its clients do.

/** Connects with a forwarded-address header and tries a login with a wrong HMAC token. */
async function failedLogin(port: number, forwarded: string): Promise<string> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { [FORWARDED_HEADER]: forwarded } });
  const answer = new Promise<{ code: string }>((resolve, reject) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString()) as { code: string }));
    ws.once('error', reject);
  });
  ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', username: 'guesser', token: 'wrong' })));
  const { code } = await answer;
  await new Promise((resolve) => ws.once('close', resolve));
  return code;
}

describe.each(TRANSPORTS)('the %s transport', (transport) => {
  const start = (options: CreateServerOptions = {}) => startServer({ transport, ...options });

  it('says which transport runs: at start, in /metrics and in /readyz', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => lines.push(line) },
    });
    const { server, port } = await start({ logger });
    try {
      const listening = lines
        .map((l) => JSON.parse(l) as { msg: string; transport?: string })
        .find((l) => l.msg.startsWith('listening on'));
      expect(listening?.transport).toBe(transport);
      expect(listening?.msg).toContain(`(transport: ${transport}, `);
      const text = await server.metrics();
      expect(metricValue(text, 'leviathan_transport_info', { transport })).toBe(1);
      expect(metricValue(text, 'leviathan_uws_native')).toBe(transport === 'uws' ? 1 : 0);
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { transport: string };
      expect(ready.transport).toBe(transport);
    } finally {
      await server.close();
    }
  });

  it('upgrades only /ws; other paths get a 404 and the server goes on', async () => {
    const { server, port } = await start();
    try {
      await expect(TestClient.connect(port, '/elsewhere')).rejects.toThrow(/404/);
      expect((await fetch(`http://127.0.0.1:${port}/ws`)).status).toBe(404);
      const client = await TestClient.login(port, 'after');
      expect(await client.command('echo still here')).toMatchObject({ ok: true, text: 'still here' });
      client.close();
    } finally {
      await server.close();
    }
  });

  it('takes the client address a loopback proxy forwards (login rate limits count it)', async () => {
    const secret = 'a-test-secret-of-at-least-thirty-two-bytes';
    process.env.LEVIATHAN_TEST_HMAC = secret;
    const { server, port } = await start({
      auth: { mode: 'hmac', hmacSecretEnv: 'LEVIATHAN_TEST_HMAC', rate: { perSecond: 0.01, burst: 1 } },
    });
    try {
      // One attempt per address: two forwarded addresses get one each, a repeat is limited.
      expect(await failedLogin(port, '203.0.113.1')).toBe(ErrorCode.AuthFailed);
      expect(await failedLogin(port, '203.0.113.2')).toBe(ErrorCode.AuthFailed);
      expect(await failedLogin(port, '203.0.113.1')).toBe(ErrorCode.AuthRateLimited);
    } finally {
      await server.close();
      delete process.env.LEVIATHAN_TEST_HMAC;
    }
  });

  it('keeps a dropped player for its grace period and resumes it with its state', async () => {
    const { server, port } = await start({ sessions: { graceMs: 30_000 } });
    try {
      const first = await enter(port, 'dropper');
      expect(first.answer.type).toBe('auth-ok');
      expect((await first.client.command('inc')).data).toEqual({ counter: 1 });
      // The TCP connection is cut, no close frame: a drop (1006), not a goodbye.
      first.client.ws.terminate();
      const back = await resumeWith(port, 'dropper', String(first.answer.resume));
      expect(back.answer.session).toBe(first.answer.session);
      expect((await back.client.command('inc')).data).toEqual({ counter: 2 });
      back.client.close();
    } finally {
      await server.close();
    }
  });

  it('closes within the shutdown deadline with a reader that never reads and a socket mid-handshake', async () => {
    const { server, port } = await start({ shutdownDeadlineMs: 3_000, maxBufferedBytes: 64 * 1024 });
    const polite = await TestClient.login(port, 'polite');
    const sloth = await RawWsClient.connect(port);
    sloth.sendText(JSON.stringify({ type: 'auth', username: 'sloth', token: 'test-token' }));
    for (let i = 0; i < 100 && sloth.bytesRead === 0; i++) await new Promise((r) => setTimeout(r, 20));
    sloth.pause();
    sloth.sendText(JSON.stringify({ type: 'cmd', line: 'spam 500 4096', id: 1 }));
    const unauthenticated = await RawWsClient.connect(port);
    const closing = server.close();
    expect(await polite.closed()).toBe(CloseCode.GoingAway);
    await closing;
    sloth.resume();
    await sloth.closed();
    await unauthenticated.closed();
  });
});

describe('choosing the transport', () => {
  const native = 'uws' in loadUws();

  it(`takes ${native ? 'uws (its binary loads here)' : 'node (the native binary does not load here)'} by default`, async () => {
    const { server, port } = await startServer();
    try {
      const expected = native ? 'uws' : 'node';
      expect(metricValue(await server.metrics(), 'leviathan_transport_info', { transport: expected })).toBe(
        1,
      );
      const client = await TestClient.login(port, 'auto');
      expect(await client.command('echo auto')).toMatchObject({ ok: true, text: 'auto' });
      client.close();
    } finally {
      await server.close();
    }
  });

  it.skipIf(native)('refuses to start with transport uws where the native binary does not load', async () => {
    const err = await startServer({ transport: 'uws' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UwsUnavailableError);
    expect((err as UwsUnavailableError).code).toBe('LEV_ERR_ENGINE_UWS_UNAVAILABLE');
    expect((err as Error).cause).toBeInstanceOf(Error);
  });
});
