import type { BenchResult } from '../bench-result.js';
import { median } from '../harness/gate.js';
import { medianPair } from '../harness/interleave.js';
import { CROWD_RATE, CROWD_SESSIONS, crowd } from './crowd.js';
import { closedLoopRate, type FixedRateResult, fixedRate } from './load-figures.js';
import { ServerHandle, type ServerKind } from './server-handle.js';

/** Tick rate of the engine under test: the engine's default (a MUD's). */
const TICK_HZ = 10;
const TICK_MS = 1000 / TICK_HZ;
/** The requirement: a tick's p99 at most 10 % of the tick interval. */
const TICK_BUDGET_MS = 0.1 * TICK_MS;
/**
 * The CPU-per-command load: an open model at a rate both servers meet with room to spare on the
 * 2-core machine (the generator and the server share it), over enough sessions that none is
 * missing while the engine holds commands until its tick.
 *
 * The warm-up is long because the engine's steady state is what a server runs in for hours, and
 * it takes V8 more than 4 s to reach it there: after 4 s of this load, TurboFan's compile threads
 * still held 17 % of the engine process's CPU samples (perf, 9–17 s after start), against 0.5 %
 * at 24–32 s; the engine's CPU per command read 84 µs after a 4 s warm-up and 55 µs after 25 s
 * (the echo's 53 and 45: it has little to compile). 15 s: 54–57 µs (twice).
 */
const FIXED = { rate: 2_000, sessions: 800, warmupMs: 15_000, windowMs: 6_000 } as const;
/**
 * Rounds of the fixed-rate load, each running the echo answering at once, the echo answering at
 * the tick and the engine, in an order that rotates every round; each ratio is the median of its
 * rounds' (medianPair).
 */
const ROUNDS = 3;
/** The closed loop of the (informational) round-trip rate: sessions × commands in flight each, at 20 Hz. */
const CLOSED = { sessions: 100, depth: 16, tickHz: 20, warmupMs: 2_000, windowMs: 4_000 } as const;
/** The crowd: a warm-up longer than one command period (12 s), then a long window for the p99. */
const CROWD = { warmupMs: 13_000, windowMs: 40_000 } as const;
/** The fixed yardstick of memory per player (see the comment of runMacroBenchmarks). */
const MEMORY_YARDSTICK_BYTES = 4096;

async function withServer<T>(
  kind: ServerKind,
  tickHz: number,
  fn: (s: ServerHandle) => Promise<T>,
): Promise<T> {
  const server = await ServerHandle.start(kind, tickHz);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

/**
 * The engine end to end, in its own process, driven by @leviathan/loadgen (one worker thread of
 * this process), against a raw uWebSockets.js echo server driven the same way where a reference
 * is comparable:
 *
 * - gate: server CPU per command at a fixed rate (2,000 commands/s), against the echo server at
 *   the same rate answering at the engine's tick (server-process.ts, `echo-at-tick`): both do the
 *   same work per second and the same exchange on the wire, so CPU per command compares;
 *   informational: the same against the echo answering at once, and the echo at the tick against
 *   the echo at once (what answering a tick later costs any server in TCP: twice the segments);
 * - budget: tick p99 with 12,000 players connected and 1,000 commands/s in total spread over them,
 *   at most 10 % of the tick interval (10 ms at the default 10 Hz): the requirement itself;
 * - gate: JavaScript heap per connected player (12,000 idle sessions), against a fixed 4 KB;
 * - informational: round trips per second at a fixed concurrency against the echo server (the
 *   engine answers at its tick, so its rate is capped by the tick rate: 100 × 16 × 20 Hz =
 *   32,000/s, and it moves with the echo's, which only the client's speed caps), and the tick p99
 *   at the fixed rate.
 *
 * What was wrong before, and the spreads (runs of the suite on the shared 2-core machine):
 * - The round-trip ratio compared a tick-capped rate with an uncapped one: 0.86–2.08 over 10 runs
 *   of the old suite at load average 3.7–5.9 (1.02–1.73 over 5 more at load 9–11). Now
 *   informational; the gate is CPU per command at a rate both servers meet.
 * - Memory per player was compared with the echo server's, a 0.3–1 KB RSS difference over 12,000
 *   sockets, within the megabytes RSS drifts by between readings: the ratio moved 6–27× between
 *   runs. A larger echo population cannot fix that reference (20,000 open files per process cap
 *   it at ~19,900 sockets, still within the drift), and the engine's own RSS figure drifts too:
 *   4.4–6.1 KB per player over 5 runs (load average 4.6–9.5) read once RSS held still for 3 s,
 *   0.7–2.3 KB over 4 runs (load 4.9–6.2) as the smallest RSS over 20 s (server-process.ts: RSS
 *   sits on plateaus, then drops by 30 MB). The gate is now the JavaScript heap of every thread
 *   (the engine's own gauge, summed over gateway, shards and main), the smallest over 20 s, per
 *   player: 2.75–3.32 KB over the same 4 runs, against a fixed 4 KB per player, so the ratio
 *   reads as "how far from 4 KB a player" and its spread is the engine's alone. Native memory
 *   (uWebSockets.js sockets) is left out of the gate; RSS per player stays, informational.
 * - The tick p99 was read under a closed loop that saturates both cores (the generator, the
 *   gateway and two shards on 2 cores): a tick's duration then includes the time its thread waits
 *   for a core, so the p99 measured the scheduler: 2.4–22.4 ms at 20 Hz over the same 10 runs
 *   (0.05–0.45 of the interval, a tenfold spread), against a baseline of 0.05. It is now read at a
 *   load the machine carries (the crowd: 1,000 commands/s) over 40 s (800 ticks), and judged
 *   against the budget, not a moving baseline.
 *
 * After, in the 5 interleaved runs of the recording at load average 3.5–8.9 (other builds
 * running): CPU per command 1.58–2.41 × the echo's (a tolerance of +69 % by the spread rule: a
 * quiet machine should record a tighter one), the crowd's tick p99 2.5–4.7 ms (0.25–0.47 of the
 * budget), JavaScript heap per player 2.7–3.4 KB (0.67–0.84 × 4 KB).
 */
/**
 * ROUNDS rounds of the fixed-rate load on each of `kinds`, the order rotating every round so that
 * none always runs first, on a colder or quieter machine.
 */
async function fixedRateRounds(kinds: readonly ServerKind[]): Promise<Map<ServerKind, FixedRateResult[]>> {
  const results = new Map<ServerKind, FixedRateResult[]>(kinds.map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(round + i) % kinds.length] as ServerKind;
      results.get(kind)?.push(await withServer(kind, TICK_HZ, (s) => fixedRate(s, FIXED)));
    }
  return results;
}

/** The CPU per command of `subject` against `reference`, round by round, median round kept. */
function cpuRatio(subject: readonly FixedRateResult[], reference: readonly FixedRateResult[]) {
  return medianPair(
    subject.map((s, i) => ({
      subject: s.cpuUsPerCommand,
      reference: (reference[i] as FixedRateResult).cpuUsPerCommand,
    })),
    'µs/cmd',
  );
}

export async function runMacroBenchmarks(): Promise<BenchResult[]> {
  const rounds = await fixedRateRounds(['echo', 'echo-at-tick', 'engine']);
  const [atOnce, atTick, engine] = (['echo', 'echo-at-tick', 'engine'] as const).map(
    (k) => rounds.get(k) as FixedRateResult[],
  ) as [FixedRateResult[], FixedRateResult[], FixedRateResult[]];
  const cpu = cpuRatio(engine, atTick);
  const cpuVsAtOnce = cpuRatio(engine, atOnce);
  const tickCost = cpuRatio(atTick, atOnce);
  const fixedTickP99 = median(engine.map((r) => r.tickP99Ms ?? Number.NaN));

  const echoRate = await withServer('echo', CLOSED.tickHz, (s) => closedLoopRate(s, CLOSED));
  const engineRate = await withServer('engine', CLOSED.tickHz, (s) => closedLoopRate(s, CLOSED));

  const crowded = await withServer('engine', TICK_HZ, (s) => crowd(s, CROWD));
  // Where each player's bytes are: the heap of each thread, and the rest of RSS (native: uWS
  // sockets and their buffers, malloc), per player.
  const byThread = (bytes: Record<string, number>) =>
    Object.entries(bytes)
      .map(([thread, b]) => `${thread} ${b}`)
      .join(', ');
  const resident = Object.values(crowded.residentPerPlayerByThread).reduce((a, b) => a + b, 0);
  process.stderr.write(
    `[bench] macro: per idle player, RSS ${Math.round(crowded.bytesPerPlayer)} B; JavaScript heap ` +
      `${Math.round(crowded.heapPerPlayer)} B in use (${byThread(crowded.heapPerPlayerByThread)}), ` +
      `${resident} B resident (${byThread(crowded.residentPerPlayerByThread)}); RSS beyond the ` +
      `resident heaps ${Math.round(crowded.bytesPerPlayer - resident)} B\n`,
  );

  const fixedLoad = `${FIXED.rate} commands/s over ${FIXED.sessions} sessions, ${TICK_HZ} Hz, the engine's default threads`;
  return [
    {
      name: `macro: server CPU per command at ${fixedLoad} (vs raw uWS echo answering at the same tick)`,
      unit: 'µs/cmd',
      value: cpu.value,
      reference: cpu.reference,
      ratio: cpu.ratio,
    },
    {
      // Gated against its baseline (recorded as "vs raw uWS echo", the echo answering at once)
      // until the case above has one of its own; then informational: the difference includes what
      // TCP costs any server that answers a tick later (the next case), which no engine code can
      // remove.
      name: `macro: server CPU per command at ${fixedLoad} (vs raw uWS echo)`,
      unit: 'µs/cmd',
      value: cpuVsAtOnce.value,
      reference: cpuVsAtOnce.reference,
      ratio: cpuVsAtOnce.ratio,
    },
    {
      name: `macro: raw uWS echo's server CPU per command answering at a ${TICK_HZ} Hz tick, ${FIXED.rate} commands/s over ${FIXED.sessions} sessions (vs answering at once)`,
      unit: 'µs/cmd',
      value: tickCost.value,
      reference: tickCost.reference,
      ratio: tickCost.ratio,
      gate: 'info',
      gateReason: `what answering a tick later costs a server with nothing else to do: a reply no longer carries the ACK of its request, so TCP sends twice the segments (nstat over 4 s: 16,300 at once, 32,200 at a 10 Hz tick).`,
    },
    {
      name: `macro: tick duration p99 with ${CROWD_SESSIONS} players and ${CROWD_RATE} commands/s in total (${TICK_HZ} Hz, the engine's default threads) (budget: 10% of the tick interval)`,
      unit: 'ms',
      value: crowded.tickP99Ms,
      reference: TICK_BUDGET_MS,
      ratio: crowded.tickP99Ms / TICK_BUDGET_MS,
      gate: 'budget',
      gateReason: `the requirement: with ${CROWD_SESSIONS} players connected and ${CROWD_RATE} commands/s in total, a tick's p99 at most 10 % of the tick interval (${TICK_BUDGET_MS} ms at ${TICK_HZ} Hz), read from the engine's /metrics histogram over a ${CROWD.windowMs / 1000} s window.`,
    },
    {
      name: `macro: server JavaScript heap per connected player, every thread (${CROWD_SESSIONS} idle sessions) (vs a fixed 4 KB per player)`,
      unit: 'bytes',
      value: crowded.heapPerPlayer,
      reference: MEMORY_YARDSTICK_BYTES,
      ratio: crowded.heapPerPlayer / MEMORY_YARDSTICK_BYTES,
    },
    {
      name: `macro: server RSS per connected player (${CROWD_SESSIONS} idle sessions) (vs a fixed 4 KB per player)`,
      unit: 'bytes',
      value: crowded.bytesPerPlayer,
      reference: MEMORY_YARDSTICK_BYTES,
      ratio: crowded.bytesPerPlayer / MEMORY_YARDSTICK_BYTES,
      gate: 'info',
      gateReason: `the whole footprint (native sockets included), but RSS drops by tens of megabytes at moments of V8's and malloc's choosing, as much as the ${CROWD_SESSIONS} players' own memory: 0.7–2.3 KB per player over 4 runs. The JavaScript heap per player is the gate. Since the engine turns V8's memory reducer off (its v8MemoryReducer option, for about 15 % less CPU per command), the heaps no longer shrink when idle and RSS no longer drops: 4.14–4.20 KB per player over 3 runs, against 0.7–2.3 KB with the reducer.`,
    },
    {
      name: `macro: tick duration p99 at ${fixedLoad} (vs 10% of the tick interval)`,
      unit: 'ms',
      value: fixedTickP99,
      reference: TICK_BUDGET_MS,
      ratio: fixedTickP99 / TICK_BUDGET_MS,
      gate: 'info',
      gateReason: `the tick p99 at twice the crowd's rate with fewer players, over ${FIXED.windowMs / 1000} s (120 ticks): for the trend; the crowd's p99 is the budget gate.`,
    },
    {
      name: `macro: command round trips per second (loadgen, ${CLOSED.sessions} sessions × ${CLOSED.depth} in flight, ${CLOSED.tickHz} Hz, the engine's default threads) (vs raw uWS echo)`,
      unit: 'rt/s',
      value: engineRate,
      reference: echoRate,
      ratio: echoRate / engineRate,
      gate: 'info',
      gateReason: `the engine answers at its tick, so its rate is capped by the tick rate (${CLOSED.sessions} × ${CLOSED.depth} × ${CLOSED.tickHz} Hz = ${CLOSED.sessions * CLOSED.depth * CLOSED.tickHz}/s), while the echo's moves with the client's speed: the ratio is not a cost. The server CPU per command is the gate.`,
    },
  ];
}
