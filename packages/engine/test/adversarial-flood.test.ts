import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CloseCode, ErrorCode } from '@leviathan/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FLOOD_KINDS, flood } from '../../../benchmarks/src/adversarial/flood.js';
import { signHmacToken } from '../src/auth/hmac-token.js';
import type { LeviathanServer } from '../src/index.js';
import { enter } from './helpers/sessions.js';
import { startServer } from './helpers/start-server.js';
import type { TestClient } from './helpers/test-client.js';

vi.setConfig({ testTimeout: 180_000 });

const SERVER = fileURLToPath(new URL('./fixtures/flood-server.ts', import.meta.url));
const SECRET = randomBytes(32).toString('hex');
const token = (username: string) => signHmacToken({ username, expiresInSec: 3600, secret: SECRET });

/** The server's resident memory, from /proc (kB → bytes). */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1]) * 1024;
}

describe('20,000 adversarial frames of every kind against a server process', () => {
  let child: ChildProcess;
  let port: number;
  let output = '';

  beforeAll(async () => {
    child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', SERVER], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LEVIATHAN_HMAC_SECRET: SECRET },
    });
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 60_000);
      const onData = () => {
        const m = /LISTENING (\d+)/.exec(output);
        if (m === null) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(Number(m[1]));
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
    });
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('survives them: no crash, every player still answered, memory bounded, the abusers closed', async () => {
    const players: TestClient[] = [];
    for (let i = 0; i < 4; i++) {
      const { client, answer } = await enter(port, `honest${i}`, { token: token(`honest${i}`) });
      expect(answer.type).toBe('auth-ok');
      players.push(client);
    }
    const rssBefore = rssOf(child.pid!);
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(child.pid!));
    }, 100);
    // The players keep playing through the flood; every command must be answered.
    let playing = true;
    let answered = 0;
    const play = async (p: TestClient) => {
      while (playing) {
        const reply = await p.command('echo still here', 30_000);
        expect(reply).toMatchObject({ type: 'reply', ok: true });
        answered++;
      }
    };
    const loops = players.map(play);
    const report = await flood({ port, frames: 20_000, token, concurrency: 8, seed: 7 });
    playing = false;
    await Promise.all(loops);
    clearInterval(sampler);

    expect(report.frames).toBeGreaterThanOrEqual(20_000);
    for (const kind of FLOOD_KINDS) expect(report.byKind[kind], kind).toBeGreaterThan(0);
    // The defences that ended the abusers' connections.
    expect(report.closes['truncated-json'][String(CloseCode.TooManyErrors)]).toBeGreaterThan(0);
    expect(report.closes['ping-flood'][String(CloseCode.TooManyErrors)]).toBeGreaterThan(0);
    expect(report.closes['too-many-lines'][String(CloseCode.TooManyErrors)]).toBeGreaterThan(0);
    // Huge frames are one kind among many: how many of them come, and which of their variants,
    // depends on timing; a flood of them alone shows the defence whatever the machine's speed.
    const huge = await flood({ port, frames: 200, token, concurrency: 4, seed: 7, kinds: ['huge-frames'] });
    expect(huge.closes['huge-frames'][String(CloseCode.MessageTooBig)]).toBeGreaterThan(0);
    const rateLimited = report.closes['rate-limit'];
    expect((rateLimited[String(CloseCode.RateLimited)] ?? 0) + (rateLimited['1013'] ?? 0)).toBeGreaterThan(0);

    // Still serving: the players, a new login, and the process is the same one.
    expect(answered).toBeGreaterThan(0);
    for (const p of players) {
      expect(p.closeCode).toBeUndefined();
      expect(await p.command('echo after')).toMatchObject({ ok: true, text: 'after' });
    }
    const late = await enter(port, 'latecomer', { token: token('latecomer') });
    expect(late.answer.type).toBe('auth-ok');
    expect(await late.client.command('echo hello')).toMatchObject({ ok: true });
    expect(child.exitCode).toBeNull();
    expect(output).not.toMatch(/uv_loop_close|Assertion|Aborted|FATAL|fatal/);
    // Memory: bounded (it grew by about 7 MiB in the runs that set this bound of 64 MiB).
    expect(peak - rssBefore).toBeLessThan(64 * 2 ** 20);
    for (const c of [...players, late.client]) c.close();
  });
});

describe('the gateway answers pings within a bound', () => {
  let server: LeviathanServer;
  let port: number;
  beforeAll(async () => {
    ({ server, port } = await startServer());
  });
  afterAll(() => server?.close());

  it('answers 100 pings per 10 s, then counts the rest as invalid messages and closes with 4007', async () => {
    const { client } = await enter(port, 'pinger');
    const pings = Array.from({ length: 64 }, (_, i) => JSON.stringify({ type: 'ping', t: i }));
    client.send(pings.join('\n'));
    client.send(pings.join('\n'));
    expect(await client.closed()).toBe(CloseCode.TooManyErrors);
    const pongs = client.messages.filter((m) => m.type === 'pong');
    const limited = client.messages.filter((m) => m.type === 'error' && m.code === ErrorCode.RateLimited);
    expect(pongs).toHaveLength(100);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.length).toBeLessThanOrEqual(21);
  });
});
