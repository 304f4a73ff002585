import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloseCode, ErrorCode } from '@leviathan/protocol';
import { freePort } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signHmacToken } from '../src/auth/index.js';
import { type CreateServerOptions, ListenError } from '../src/index.js';
import { metricValue } from './helpers/prometheus-text.js';
import { RawWsClient } from './helpers/raw-ws-client.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';
import { TRANSPORTS } from './helpers/transports.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'leviathan-http-'));
  mkdirSync(join(dir, 'web', 'js'), { recursive: true });
  writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><title>client</title>');
  writeFileSync(join(dir, 'web', 'js', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.each(TRANSPORTS)('HTTP routes and limits (%s transport)', (transport) => {
  const start = (options: CreateServerOptions = {}) => startServer({ transport, ...options });

  it('serves the web client from webRoot and nothing outside it', async () => {
    const { server, port } = await start({ webRoot: join(dir, 'web') });
    try {
      const index = await fetch(`http://127.0.0.1:${port}/`);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toMatch(/text\/html/);
      expect(await index.text()).toContain('<title>client</title>');
      const js = await fetch(`http://127.0.0.1:${port}/js/app.js`);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/js/../../secret.txt', '/missing.html']) {
        expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(404);
      }
    } finally {
      await server.close();
    }
  });

  it('reports a stalled shard on /readyz and in metrics, and recovers', async () => {
    const { server, port } = await start({ shardStallMs: 300 });
    try {
      const client = await TestClient.login(port, 'staller');
      client.send({ type: 'cmd', line: 'stall 2500', id: 'stall' });
      let body: { status: string; shards: Array<{ up: boolean; ageMs: number }> } | undefined;
      for (let i = 0; i < 100; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        body = (await res.json()) as typeof body;
        // Shard 0's stall, not any 503: on a loaded machine the other shard's tick can be late too.
        if (res.status === 503 && body!.shards[0]!.ageMs > 300) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(body?.status).toBe('not-ready');
      expect(body!.shards[0]!.ageMs).toBeGreaterThan(300);
      expect(await client.next((m) => m.re === 'stall')).toMatchObject({ ok: true, text: 'unstuck' });
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(ready).toBe(200);
      expect(
        metricValue(await server.metrics(), 'leviathan_tick_overruns_total', { shard: '0' }),
      ).toBeGreaterThanOrEqual(1);
      client.close();
    } finally {
      await server.close();
    }
  });

  it('refuses connections over maxConnections with 1013', async () => {
    const { server, port } = await start({ maxConnections: 2 });
    try {
      const a = await TestClient.login(port, 'first');
      const b = await TestClient.login(port, 'second');
      const c = await TestClient.connect(port);
      expect(await c.next((m) => m.type === 'error')).toMatchObject({ code: ErrorCode.ServerFull });
      expect(await c.closed()).toBe(CloseCode.TryAgainLater);
      a.close();
      await a.closed();
      // A slot is free again.
      const d = await TestClient.login(port, 'fourth');
      for (const x of [b, d]) x.close();
    } finally {
      await server.close();
    }
  });

  it('serves WebSocket over TLS with a key and certificate', async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const { server, port } = await start({ tls: { keyFile: key, certFile: cert } });
    try {
      const ws = new WebSocket(`wss://127.0.0.1:${port}/ws`, { rejectUnauthorized: false });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const reply = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
      ws.send('{"type":"auth","username":"secure","token":"test-token"}');
      expect(JSON.parse(await reply).type).toBe('auth-ok');
      ws.close();
    } finally {
      await server.close();
    }
  });

  it('logs in with a signed HMAC token and rate limits login attempts per address', async () => {
    const secret = 'a-test-secret-of-at-least-thirty-two-bytes';
    process.env.LEVIATHAN_TEST_HMAC = secret;
    const { server, port } = await start({
      auth: { mode: 'hmac', hmacSecretEnv: 'LEVIATHAN_TEST_HMAC', rate: { perSecond: 0.01, burst: 3 } },
    });
    try {
      const good = await TestClient.connect(port);
      good.send({
        type: 'auth',
        username: 'signed',
        token: signHmacToken({ username: 'signed', expiresInSec: 60, secret }),
      });
      expect(await good.next((m) => m.type === 'auth-ok' || m.type === 'auth-error')).toMatchObject({
        type: 'auth-ok',
      });
      const codes: string[] = [];
      for (let i = 0; i < 3; i++) {
        const bad = await TestClient.connect(port);
        bad.send({ type: 'auth', username: 'guesser', token: `guess-${i}` });
        codes.push(String((await bad.next((m) => m.type === 'auth-error')).code));
        await bad.closed();
      }
      expect(codes.slice(0, 2)).toEqual([ErrorCode.AuthFailed, ErrorCode.AuthFailed]);
      expect(codes[2]).toBe(ErrorCode.AuthRateLimited);
      good.close();
    } finally {
      await server.close();
      delete process.env.LEVIATHAN_TEST_HMAC;
    }
  });

  it('closes a connection that stays silent past the idle timeout (pings unanswered), keeps one that answers', async () => {
    const { server, port } = await start({ idleTimeoutSec: 8 });
    try {
      // `ws` answers uWS's automatic pings; the raw client reads but never answers anything.
      const lively = await TestClient.login(port, 'lively');
      const silent = await RawWsClient.connect(port);
      silent.sendText(JSON.stringify({ type: 'auth', username: 'silent', token: 'test-token' }));
      const started = Date.now();
      await silent.closed();
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThan(4_000);
      expect(lively.closeCode).toBeUndefined();
      expect(await lively.command('echo awake')).toMatchObject({ ok: true });
      lively.close();
    } finally {
      await server.close();
    }
  }, 40_000);

  it('refuses a port another server holds instead of sharing it', async () => {
    const port = await freePort();
    const { server } = await start({ port, gatewayThreads: 2 });
    try {
      await expect(start({ port })).rejects.toBeInstanceOf(ListenError);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
