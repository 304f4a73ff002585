import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './postgres-cluster.js';

/** A redis-server started from the machine's binary, owned by one test file. */
export interface ThrowawayRedis {
  readonly url: string;
  readonly port: number;
  /** Stops the server and removes its directory. Idempotent. */
  stop(): Promise<void>;
  /**
   * Kills the server (SIGKILL: no save, as a crash or a restart without persistence loses every
   * key) and keeps the port for `start`. For outage and restart tests.
   */
  kill(): Promise<void>;
  /** Starts a killed server again on the same port, with an empty keyspace. */
  start(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port with no persistence (no RDB, no AOF): what a cache
 * node restarted without its disk looks like, the worst case the cluster code must survive.
 * Measured here: ready in about 10 ms.
 */
export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'leviathan-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    if (child) throw new Error(`redis-server on port ${port} is already running`);
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    proc.once('error', (e) => {
      output += `${e.message} (is the Debian package redis-server installed?)`;
    });
    proc.stdout?.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
    });
    proc.stderr?.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
    });
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    child = proc;
    try {
      await waitUntilAnswering(port, proc, () => output);
    } catch (error) {
      proc.kill('SIGKILL');
      child = undefined;
      throw error;
    }
  };
  const kill = async () => {
    if (!child) return;
    child.kill('SIGKILL');
    child = undefined;
    await exited;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    kill,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once the server answers PING; rejects with its output if it exits or takes 10 s. */
async function waitUntilAnswering(port: number, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined)
      throw new Error(`redis-server exited (${proc.exitCode ?? proc.signalCode}): ${output()}`);
    if (await answersPing(port)) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server on port ${port} did not answer in 10 s: ${output()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}
