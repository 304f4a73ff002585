/**
 * The suite's processes: each client and the server run in their own Node process (tsx, source
 * conditions, --expose-gc), so that each side's CPU and memory are measured alone. A process
 * answers with one JSON line on stdout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const benchDir = fileURLToPath(new URL('../../', import.meta.url));

/** Starts `script` (a file of this folder) with `args`, and `env` over this process's environment. */
export function node(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--expose-gc', here(script), ...args],
    {
      cwd: benchDir,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '', ...env },
    },
  );
}

/** The first line the process prints. */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl !== -1) resolve(buf.slice(0, nl));
    });
    child.on('exit', (code) =>
      reject(new Error(`${String(child.spawnargs[5])} exited with ${code} before answering`)),
    );
  });
}

/** Runs a client to its end and parses its answer. */
export async function client<T = Record<string, number>>(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<T> {
  const child = node(script, args, env);
  const line = await firstLine(child);
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(line) as T;
}

/** Starts the uWebSockets.js server (echo-server.ts); refuses its JS fallback. */
export async function startEchoServer(): Promise<{ server: ChildProcess; url: string }> {
  const server = node('echo-server.ts', []);
  const info = JSON.parse(await firstLine(server)) as { port: number; native: boolean };
  if (!info.native) {
    server.stdin?.end();
    throw new Error('uWebSockets.js runs on its JS fallback: the benchmark would measure the wrong server');
  }
  return { server, url: `ws://127.0.0.1:${info.port}/ws` };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
