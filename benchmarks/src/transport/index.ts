/**
 * The transport suite: what the node transport (Node's http + ws, for where the native
 * uWebSockets.js does not load) costs against the uws transport, in the same run. The engine runs
 * in a process of its own (the macro suite's server process and its echo game, through
 * ServerHandle) with one transport or the other, driven by the same
 * closed loop of `ws` clients (drive.ts) at the same load: 100 sessions × 4 commands in flight,
 * answered at the 20 Hz ticks, so both serve the same commands per second and their CPU per
 * command compares. The two alternate over RUNS pairs (harness/interleave.ts: uws first in even
 * pairs, node first in odd ones), and the pair with the median ratio is kept (the machine's load
 * moves both of a pair alike, so the ratio within a pair is steadier than either figure).
 * Informational: it prices a choice, it guards nothing.
 */
import type { BenchResult } from '../bench-result.js';
import { alternate, medianPair } from '../harness/interleave.js';
import { ServerHandle } from '../macro/server-handle.js';
import { drive } from './drive.js';

const RUNS = Number(process.env.TRANSPORT_RUNS ?? 3);
const TICK_HZ = 20;
const LOAD = { sessions: 100, inFlight: 4, warmup: 10_000, commands: 30_000 };

/** Server CPU per command, in µs, of one run on `transport`. */
async function measure(transport: 'uws' | 'node'): Promise<number> {
  const server = await ServerHandle.start('engine', TICK_HZ, transport);
  try {
    const run = await drive({ url: server.url, ...LOAD }, () => server.cpuUs());
    return run.cpuUs / run.commands;
  } finally {
    await server.stop();
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
