import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CloseCode } from '@leviathan/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from './helpers/test-client.js';
import { TRANSPORTS } from './helpers/transports.js';

const SERVE = fileURLToPath(new URL('./fixtures/serve.ts', import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
});

function startChild(
  transport: string,
): Promise<{ port: number; output: () => string; exited: Promise<number | null> }> {
  const proc = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', SERVE], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LEVIATHAN_TRANSPORT: transport },
  });
  child = proc;
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const onData = () => {
      const m = /LISTENING (\d+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        proc.stdout!.off('data', onData);
        resolve({ port: Number(m[1]), output: () => out, exited });
      }
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', () => reject(new Error(`server exited early:\n${out}`)));
  });
}

describe.each(TRANSPORTS)('graceful shutdown (%s transport)', (transport) => {
  it('on SIGTERM says bye (1001) to every client, drains the shards, flushes state and exits 0', async () => {
    const { port, output, exited } = await startChild(transport);
    const ann = await TestClient.login(port, 'ann');
    const bob = await TestClient.login(port, 'bob');
    await bob.command('go beta');
    await ann.command('inc');
    await bob.command('inc');
    // A command still queued when the signal lands is run and its state saved.
    bob.send({ type: 'cmd', line: 'inc', id: 'last' });
    child!.kill('SIGTERM');
    for (const client of [ann, bob]) {
      expect(await client.next((m) => m.type === 'bye')).toMatchObject({ code: CloseCode.GoingAway });
      expect(await client.closed()).toBe(CloseCode.GoingAway);
    }
    expect(await exited).toBe(0);
    const out = output();
    const flushed = /FLUSHED (\{.*\})/.exec(out);
    expect(flushed).not.toBeNull();
    const saved = JSON.parse(flushed![1]!) as Record<string, number>;
    expect(saved.ann).toBe(1);
    expect(saved.bob).toBeGreaterThanOrEqual(1);
    expect(out).toContain('CLOSED flushed=true');
    expect(out).not.toMatch(/uv_loop_close|Assertion|Aborted/);
  });

  it('refuses new connections once shutting down', async () => {
    const { port, exited } = await startChild(transport);
    const client = await TestClient.login(port, 'late');
    child!.kill('SIGTERM');
    await client.closed();
    await expect(TestClient.connect(port)).rejects.toThrow();
    expect(await exited).toBe(0);
  });
});
