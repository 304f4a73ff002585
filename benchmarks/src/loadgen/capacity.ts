/**
 * Capacity: one loadgen process holding 19,000 connected VUs against the uWebSockets.js server in
 * another process, while the server stalls its event loop for 300 ms once mid-run. The open-files
 * limit here is 20,000 (`ulimit -n`), for each process, so 19,000 sockets is near what one process
 * may hold at all. The run passes when every VU connected and authenticated, nothing failed
 * (no connect, request or iteration error, no timeout), and the stall shows in the results: the
 * round-trip max of the run, and of the interval in which the stalled replies arrived, is at least
 * the stall. Figures: VUs held (vs asked), RSS per VU (the whole process over its VUs: Node, two
 * isolates and tsx included), the stall seen (vs injected).
 *
 * Run alone: `tsx --conditions=source benchmarks/src/loadgen/capacity.ts`.
 */
import { fileURLToPath } from 'node:url';
import type { BenchResult } from '../bench-result.js';
import type { CapacityFigures } from './capacity-client.js';
import { client, startEchoServer } from './child-process.js';

export interface CapacityOptions {
  /** VUs of the one process. @default 19000 */
  vus?: number;
  /** The server's stall. @default 300 (ms) */
  stallMs?: number;
  /** Connects in flight at most (scenarios/capacity.ts says why a cap, not a rate). @default 100 */
  connecting?: number;
}

/** The memory aim per VU (16 KiB), beside which the whole-process figure is shown. */
const MEMORY_AIM_BYTES = 16 * 1024;

interface Stall {
  startEpochMs: number;
  endEpochMs: number;
}

/** Thrown when the run fails what it must hold: the suite then fails with this message. */
export class CapacityNotHeldError extends Error {
  override name = 'CapacityNotHeldError';
}

export async function runLoadgenCapacityBenchmarks(options: CapacityOptions = {}): Promise<BenchResult[]> {
  const vus = options.vus ?? 19_000;
  const stallMs = options.stallMs ?? 300;
  const { server, url } = await startEchoServer();
  const stalls: Stall[] = [];
  let pending = '';
  server.stdout?.on('data', (d: Buffer) => {
    pending += d.toString();
    for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.startsWith('{"stall"')) stalls.push((JSON.parse(line) as { stall: Stall }).stall);
    }
  });
  let figures: CapacityFigures;
  try {
    figures = await client<CapacityFigures>('loadgen-client.ts', [url, 'capacity', String(vus)], {
      BENCH_STALL_MS: String(stallMs),
      BENCH_CONNECTING: String(options.connecting ?? 100),
    });
  } finally {
    server.stdin?.end();
  }
  const stall = stalls[0];
  const problems: string[] = [];
  if (stall === undefined) problems.push('the server never stalled (no stall line)');
  if (figures.sessions !== vus) problems.push(`${figures.sessions} of ${vus} VUs connected`);
  if (figures.failures > 0)
    problems.push(`${figures.failures} failures (errors, timeouts): ${JSON.stringify(figures.errors)}`);
  // The replies held by the stall arrive when it ends: their samples are in the interval that
  // holds the stall's end, or the next one when they land on its boundary.
  const stallIntervals =
    stall === undefined
      ? []
      : figures.intervals.filter(
          (i) => i.endEpochMs >= stall.endEpochMs && i.startEpochMs <= stall.endEpochMs + 1000,
        );
  const intervalMaxMs = Math.max(0, ...stallIntervals.map((i) => i.maxMs));
  if (figures.maxMs < stallMs) problems.push(`round-trip max ${figures.maxMs} ms < the ${stallMs} ms stall`);
  if (intervalMaxMs < stallMs)
    problems.push(`round-trip max of the stall's interval ${intervalMaxMs} ms < the ${stallMs} ms stall`);
  const rssPerVu = figures.rssBytes / vus;
  process.stderr.write(
    `[bench] loadgen capacity: ${figures.sessions}/${vus} VUs, RSS ${(figures.rssBytes / 1e6).toFixed(0)} MB (${Math.round(rssPerVu)} B/VU), ` +
      `${figures.roundTrips} round trips, max ${figures.maxMs} ms, stall's interval max ${intervalMaxMs} ms ` +
      `(stall ${stall === undefined ? '-' : stall.endEpochMs - stall.startEpochMs} ms), ${figures.failures} failures, ${(figures.durationMs / 1000).toFixed(1)} s\n`,
  );
  if (problems.length > 0) throw new CapacityNotHeldError(`loadgen capacity: ${problems.join('; ')}`);
  return [
    {
      name: `loadgen capacity: VUs asked of one process (vs VUs connected and authenticated, ${vus} asked)`,
      unit: 'VUs',
      value: vus,
      reference: figures.sessions,
      ratio: vus / figures.sessions,
      gate: 'budget',
      gateReason: 'every VU asked must connect and authenticate (ratio 1); above 1, some did not',
    },
    {
      name: `loadgen capacity: server stall injected (vs the round-trip max of its interval, ${vus} VUs)`,
      unit: 'ms',
      value: stallMs,
      reference: intervalMaxMs,
      ratio: stallMs / intervalMaxMs,
      gate: 'budget',
      gateReason: 'a 300 ms server stall must show in the results: above 1, the latency seen was shorter',
    },
    {
      name: `loadgen capacity: RSS per VU, whole process with ${vus} VUs (vs the 16 KiB per-VU aim)`,
      unit: 'B/VU',
      value: Math.round(rssPerVu),
      reference: MEMORY_AIM_BYTES,
      ratio: rssPerVu / MEMORY_AIM_BYTES,
      gate: 'info',
      gateReason:
        "the process's fixed cost (Node, two isolates, tsx) is spread over the VUs here; the aim is gated on the marginal figure",
    },
  ];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  runLoadgenCapacityBenchmarks().then(
    (results) => {
      for (const r of results) console.log(`${r.name}\n  ${r.value} ${r.unit} vs ${r.reference} ${r.unit}`);
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
