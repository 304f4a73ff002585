/**
 * The transport suite: what the node transport (Node's http + ws, for where the native
 * uWebSockets.js does not load) costs against the uws transport, in the same run. The engine runs
 * in a process of its own (server-process.ts) with one transport or the other, driven by the same
 * closed loop of `ws` clients (drive.ts) at the same load: 100 sessions × 4 commands in flight,
 * answered at the 20 Hz ticks, so both serve the same commands per second and their CPU per
 * command compares. The two alternate over RUNS pairs (harness/interleave.ts: uws first in even
 * pairs, node first in odd ones), and the pair with the median ratio is kept (the machine's load
 * moves both of a pair alike, so the ratio within a pair is steadier than either figure).
 * Informational: it prices a choice, it guards nothing.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from '../bench-result.js';
import { alternate, medianPair } from '../harness/interleave.js';
import { askServer } from '../harness/serve-asks.js';
import { drive } from './drive.js';

const RUNS = Number(process.env.TRANSPORT_RUNS ?? 3);
const LOAD = { sessions: 100, inFlight: 4, warmup: 10_000, commands: 30_000 };

type Kind = 'uws' | 'node';

interface Running {
  readonly port: number;
  readonly transport: string;
  readonly child: ChildProcess;
}

async function startServer(kind: Kind): Promise<Running> {
  const child = fork(fileURLToPath(new URL('./server-process.ts', import.meta.url)), [kind], {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number; transport: string }>((resolve, reject) => {
    child.once('message', (m: { port: number; transport: string }) => resolve(m));
    child.once('exit', (code) =>
      reject(new Error(`the ${kind} server exited with ${code} before it was ready`)),
    );
  });
  return { ...ready, child };
}

function ask<T>(child: ChildProcess, what: 'cpu' | 'stop'): Promise<T> {
  return askServer<T>(child, what, 'the server');
}

/** Server CPU per command, in µs, of one run on `kind`. */
async function measure(kind: Kind): Promise<number> {
  const server = await startServer(kind);
  try {
    if (server.transport !== kind)
      throw new Error(`asked for the ${kind} transport, the engine runs ${server.transport}`);
    const run = await drive(
      { url: `ws://127.0.0.1:${server.port}/ws`, ...LOAD },
      async () => (await ask<{ cpuUs: number }>(server.child, 'cpu')).cpuUs,
    );
    return run.cpuUs / run.commands;
  } finally {
    const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
    server.child.send({ ask: 'stop' });
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

export async function runTransportBenchmarks(): Promise<BenchResult[]> {
  const pairs = await alternate({
    pairs: RUNS,
    warmUp: false,
    reference: () => measure('uws'),
    subject: () => measure('node'),
  });
  const show = (vs: number[]) => vs.map((v) => v.toFixed(1)).join(', ');
  process.stderr.write(
    `[bench] transport: server CPU per command, uws ${show(pairs.map((p) => p.reference))} µs; node ${show(pairs.map((p) => p.subject))} µs\n`,
  );
  const { value, reference, ratio } = medianPair(pairs, 'µs');
  return [
    {
      name: 'transport: server CPU per command, node transport (vs uws transport)',
      unit: 'µs',
      value,
      reference,
      ratio,
      gate: 'info',
      gateReason:
        'prices the node transport (http + ws), which runs only where the native uWebSockets.js does not load; nothing to guard',
    },
  ];
}
