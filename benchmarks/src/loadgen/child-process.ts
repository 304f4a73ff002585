/**
 * The suite's processes: each client and the server run in their own Node process (tsx, source
 * conditions, --expose-gc), so that each side's CPU and memory are measured alone. A process
 * answers with one JSON line on stdout.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const benchDir = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The cores of the round-trip runs: the server on one, the client on another, where the machine
 * has two and `taskset` (util-linux) runs; undefined elsewhere, and the processes go where the
 * scheduler puts them. Measured on the 2-core VM of these runs (a raw ws loop against the echo
 * server, 3 runs each, same session): unpinned, its CPU per round trip read 19.2, 37.0 and
 * 20.0 µs, as the scheduler put the two processes on one core or on both and the client's system
 * time doubled with it; pinned, 17.6-18.2 µs, and loadgen's 21.4-21.9 µs.
 */
export const PINNED_CPUS = pinnedCpus();

function pinnedCpus(): { server: string; client: string } | undefined {
  if (availableParallelism() < 2) return undefined;
  return spawnSync('taskset', ['-c', '1', 'true']).status === 0 ? { server: '0', client: '1' } : undefined;
}

/**
 * Starts `script` (a file of this folder) with `args`, and `env` over this process's environment;
 * on the core `cpu` (a taskset list) when given.
 */
export function node(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  cpu?: string,
): ChildProcess {
  const command = [
    process.execPath,
    '--conditions=source',
    '--import',
    'tsx',
    '--expose-gc',
    here(script),
    ...args,
  ];
  const [file, ...rest] = cpu === undefined ? command : ['taskset', '-c', cpu, ...command];
  return spawn(file as string, rest, {
    cwd: benchDir,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
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
      reject(
        new Error(
          `${String(child.spawnargs.find((a) => a.endsWith('.ts')))} exited with ${code} before answering`,
        ),
      ),
    );
  });
}

/** Runs a client to its end and parses its answer. */
export async function client<T = Record<string, number>>(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  cpu?: string,
): Promise<T> {
  const child = node(script, args, env, cpu);
  const line = await firstLine(child);
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(line) as T;
}

/** Starts the uWebSockets.js server (echo-server.ts), on the core `cpu` when given; refuses its JS fallback. */
export async function startEchoServer(cpu?: string): Promise<{ server: ChildProcess; url: string }> {
  const server = node('echo-server.ts', [], {}, cpu);
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
