import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signHmacToken } from '@leviathan/engine/auth';
import { freePort } from '@leviathan/test-support';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';

// Real servers, threads and browsers on a shared 2-core machine: every wait is event-driven,
// and this bound only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));

// `pnpm start` as a user runs it (the example's own start script), on free ports: it serves the
// world over WebSocket, the web client at /, telnet, and stops cleanly on SIGTERM.
describe('pnpm start', () => {
  it('serves the Drowned Coast and stops on SIGTERM', async () => {
    const [port, telnetPort] = [await freePort(), await freePort()];
    // The embedded store goes to a temporary directory, not the developer's .leviathan-data/.
    const data = await mkdtemp(join(tmpdir(), 'lev-start-'));
    const child = spawn('node', ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
      cwd: EXAMPLE,
      env: {
        ...process.env,
        LEVIATHAN_PORT: String(port),
        LEVIATHAN_TELNET_PORT: String(telnetPort),
        LEVIATHAN_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no "is open" line within 60 s:\n${out}`)), 60_000);
        child.stdout.on('data', () => {
          if (out.includes('is open')) {
            clearTimeout(t);
            resolve();
          }
        });
        void exited.then((code) => reject(new Error(`exited with ${code}:\n${out}`)));
      });
      expect(out).toContain(`The Drowned Coast is open: http://localhost:${port}/`);
      expect(out).toContain(`telnet localhost ${telnetPort}`);

      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(await page.text()).toContain('<title>Leviathan</title>');
      // The dashboard is on in the quick start, for this machine.
      expect(out).toContain(`live dashboard: http://localhost:${port}/dashboard`);
      const dashboard = await fetch(`http://127.0.0.1:${port}/dashboard/snapshot.json`);
      expect(dashboard.status).toBe(200);
      expect(((await dashboard.json()) as { reachable: boolean }).reachable).toBe(true);

      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      const messages: Array<{ type: string; text?: string; re?: number }> = [];
      const replied = new Promise<void>((resolve) => {
        ws.on('message', (d) => {
          const m = JSON.parse(d.toString()) as { type: string; re?: number };
          messages.push(m);
          if (m.type === 'auth-ok') ws.send(JSON.stringify({ type: 'cmd', line: 'look', id: 1 }));
          if (m.type === 'reply' && m.re === 1) resolve();
        });
      });
      ws.on('open', () =>
        ws.send(JSON.stringify({ type: 'auth', username: 'starter', token: 'test-token' })),
      );
      await replied;
      expect(messages.find((m) => m.type === 'reply')?.text).toContain('Fishmarket Square');
      ws.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    await rm(data, { recursive: true, force: true });
  });
});

describe('the admin shutdown command', () => {
  it('stops pnpm start gracefully, telling everyone first', async () => {
    const port = await freePort();
    const data = await mkdtemp(join(tmpdir(), 'lev-start-'));
    const secret = 'a-test-secret-that-is-at-least-32-bytes-long';
    const child = spawn('node', ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
      cwd: EXAMPLE,
      env: {
        ...process.env,
        LEVIATHAN_PORT: String(port),
        LEVIATHAN_TELNET_PORT: '0',
        LEVIATHAN_LOG_LEVEL: 'warn',
        LEVIATHAN_STORE_DATA_DIR: data,
        LEVIATHAN_AUTH_MODE: 'hmac',
        LEVIATHAN_HMAC_SECRET: secret,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no "is open" line within 60 s:\n${out}`)), 60_000);
        const onData = (d: Buffer) => {
          out += d;
          if (out.includes('is open')) {
            clearTimeout(t);
            resolve();
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void exited.then((code) => reject(new Error(`exited with ${code}:\n${out}`)));
      });
      const login = async (username: string, roles: string[]) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
        const texts: string[] = [];
        const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
        const ok = new Promise<void>((resolve) => {
          ws.on('message', (d) => {
            const m = JSON.parse(d.toString()) as { type: string; text?: string; reason?: string };
            if (m.type === 'auth-ok') resolve();
            if (m.text) texts.push(m.text);
            if (m.type === 'bye') texts.push(`bye: ${m.reason}`);
          });
        });
        await new Promise((r) => ws.on('open', r));
        const token = signHmacToken({ username, roles, expiresInSec: 600, secret });
        ws.send(JSON.stringify({ type: 'auth', username, token }));
        await ok;
        return { ws, texts, closed };
      };
      const player = await login('pat', ['player']);
      const admin = await login('root', ['player', 'admin']);
      player.ws.send(JSON.stringify({ type: 'cmd', line: 'shutdown', id: 1 }));
      admin.ws.send(JSON.stringify({ type: 'cmd', line: 'shutdown maintenance', id: 2 }));
      // Everyone is told, the server says goodbye, and the process exits cleanly.
      expect(await player.closed).toBe(1001);
      expect(player.texts.join('\n')).toContain('[The server is shutting down in 2 seconds: maintenance]');
      expect(player.texts.join('\n')).toMatch(/Unknown command "shutdown"|"shutdown" is not a command/);
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await rm(data, { recursive: true, force: true });
    }
  });
});
