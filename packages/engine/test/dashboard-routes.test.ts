import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardSnapshot } from '../src/dashboard/dashboard-snapshot.js';
import type { CreateServerOptions } from '../src/index.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';
import { TRANSPORTS } from './helpers/transports.js';

/**
 * A non-loopback address of this machine, to be a client that is not "this machine" as the
 * dashboard sees it (the connection's peer is then that address, not 127.0.0.1).
 */
const OTHER_ADDRESS = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

const TOKEN_ENV = 'DASHBOARD_ROUTES_TEST_TOKEN';
const TOKEN = 'a-long-random-dashboard-token-0123456789';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'leviathan-dashboard-'));
  // A game's web client with files where the dashboard lives: never served, on or off.
  mkdirSync(join(dir, 'web', 'dashboard'), { recursive: true });
  writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><title>client</title>');
  writeFileSync(join(dir, 'web', 'dashboard', 'index.html'), 'impostor');
  writeFileSync(join(dir, 'web', 'dashboard', 'snapshot.json'), '{"impostor":true}');
  writeFileSync(join(dir, 'web', 'dashboard.html'), 'a file beside the prefix');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(TRANSPORTS)('/dashboard (%s transport)', (transport) => {
  const start = (options: CreateServerOptions = {}) =>
    startServer({ transport, webRoot: join(dir, 'web'), ...options });

  it('off by default: every /dashboard path answers exactly as an unknown path does', async () => {
    const { server, port } = await start();
    try {
      const unknown = await fetch(`http://127.0.0.1:${port}/no-such-path`);
      const unknownBody = await unknown.text();
      expect(unknown.status).toBe(404);
      for (const path of [
        '/dashboard',
        '/dashboard/',
        '/dashboard/snapshot.json',
        '/dashboard/page.js',
        '/dashboard/index.html',
      ]) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        expect(res.status, path).toBe(404);
        expect(res.headers.get('content-type'), path).toBe(unknown.headers.get('content-type'));
        expect(res.headers.get('content-security-policy'), path).toBeNull();
        expect(await res.text(), path).toBe(unknownBody);
      }
      // The rest of webRoot, and a file that merely starts with the same letters, as before.
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain('<title>client</title>');
      expect(await (await fetch(`http://127.0.0.1:${port}/dashboard.html`)).text()).toBe(
        'a file beside the prefix',
      );
    } finally {
      await server.close();
    }
  });

  it('on, without a token: the page to anyone, the data to this machine only, never cached', async () => {
    const { server, port } = await start({ host: '0.0.0.0', dashboard: { enabled: true }, tickHz: 10 });
    try {
      const page = await fetch(`http://127.0.0.1:${port}/dashboard`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
      const html = await page.text();
      expect(html).toContain('/dashboard/page.js');
      expect(html).not.toContain('impostor');
      const js = await fetch(`http://127.0.0.1:${port}/dashboard/page.js`);
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await js.text()).toContain('/dashboard/snapshot.json');
      const css = await fetch(`http://127.0.0.1:${port}/dashboard/page.css`);
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect((await fetch(`http://127.0.0.1:${port}/dashboard/index.html`)).status).toBe(404);

      const client = await TestClient.login(port, 'watcher');
      try {
        let snapshot: DashboardSnapshot | undefined;
        for (let i = 0; i < 100; i++) {
          const res = await fetch(`http://127.0.0.1:${port}/dashboard/snapshot.json`);
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toBe('application/json');
          expect(res.headers.get('cache-control')).toBe('no-store');
          snapshot = (await res.json()) as DashboardSnapshot;
          if (snapshot.figures.find((f) => f.id === 'players')?.value === 1) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(snapshot?.reachable).toBe(true);
        expect(snapshot?.source).toEqual({ kind: 'node', target: `${hostname()}:${port}` });
        expect(snapshot?.tickPeriodSeconds).toBeCloseTo(0.1);
        expect(snapshot?.figures.find((f) => f.id === 'players')?.text).toBe('1');
        expect(snapshot?.shards.map((s) => s.shard).sort()).toEqual(['0', '1']);
      } finally {
        client.close();
      }

      // A reverse proxy on this machine forwards other clients: it is not this machine.
      const proxied = await fetch(`http://127.0.0.1:${port}/dashboard/snapshot.json`, {
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      expect(proxied.status).toBe(403);
      if (OTHER_ADDRESS !== undefined) {
        const remote = await fetch(`http://${OTHER_ADDRESS}:${port}/dashboard/snapshot.json`);
        expect(remote.status).toBe(403);
        expect(remote.headers.get('cache-control')).toBe('no-store');
        expect(await remote.text()).toMatch(/this machine only/);
        // The shell holds no data; it is the same for everyone.
        expect((await fetch(`http://${OTHER_ADDRESS}:${port}/dashboard`)).status).toBe(200);
      } else {
        console.warn(
          'no non-loopback address here: the remote refusal is covered by dashboard-access.test.ts only',
        );
      }
      for (const path of ['/metrics', '/healthz', '/readyz']) {
        expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(200);
      }
    } finally {
      await server.close();
    }
  });

  it('on, with a token: the data needs it, from loopback and from elsewhere', async () => {
    process.env[TOKEN_ENV] = TOKEN;
    const started = await start({
      host: '0.0.0.0',
      dashboard: { enabled: true, tokenEnv: TOKEN_ENV },
    }).finally(() => delete process.env[TOKEN_ENV]);
    const { server, port } = started;
    try {
      const url = `http://127.0.0.1:${port}/dashboard/snapshot.json`;
      const none = await fetch(url);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: TOKEN } })).status).toBe(401);
      const good = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(good.status).toBe(200);
      expect(((await good.json()) as DashboardSnapshot).reachable).toBe(true);
      if (OTHER_ADDRESS !== undefined) {
        const remoteUrl = `http://${OTHER_ADDRESS}:${port}/dashboard/snapshot.json`;
        expect((await fetch(remoteUrl)).status).toBe(401);
        expect((await fetch(remoteUrl, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      }
      // The page itself is static and needs no token.
      expect((await fetch(`http://127.0.0.1:${port}/dashboard`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
