import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@leviathan/test-support';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';

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
