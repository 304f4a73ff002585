import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import WebSocket from 'ws';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A command started in the background, its output kept. */
export interface Started {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after 15 s. */
  stop(): Promise<number | string>;
}

export function start(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Started {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    output: () => text,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
}

/** Runs a command to its end; resolves with its exit code and output. */
export async function runToEnd(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<{ code: number | string; output: string }> {
  const started = start(cmd, args, cwd, env);
  const timer = setTimeout(() => started.child.kill('SIGKILL'), timeoutMs);
  const code = await started.exited;
  clearTimeout(timer);
  return { code, output: started.output() };
}

/** Waits until `http://127.0.0.1:port/healthz` answers 200, or the process exits (then throws). */
export async function waitHealthy(server: Started, port: number, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void server.exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`exited before it was healthy:\n${server.output()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not healthy after ${timeoutMs} ms:\n${server.output()}`);
}

/**
 * Logs in as a README says (`auth` with the development token), sends one command and returns
 * the text of its reply.
 */
export async function commandReply(port: number, line: string, username = 'ann'): Promise<string> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to "${line}" in 20 s`)), 20_000);
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', username, token: 'test-token' })));
      ws.on('message', (data) => {
        for (const text of data.toString().split('\n')) {
          if (text === '') continue;
          const message = JSON.parse(text) as { type: string; re?: number; text?: string; message?: string };
          if (message.type === 'auth-ok') ws.send(JSON.stringify({ type: 'cmd', line, id: 1 }));
          else if (message.type === 'auth-error') reject(new Error(`auth refused: ${text}`));
          else if (message.type === 'reply' && message.re === 1) {
            clearTimeout(timer);
            resolve(message.text ?? text);
          }
        }
      });
    });
  } finally {
    ws.close();
  }
}
