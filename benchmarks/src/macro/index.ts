import { strictEqual } from 'node:assert/strict';
import type { BenchResult } from '../bench-result.js';
import { median } from '../harness/gate.js';
import { histogramBuckets, quantileBetween } from './histogram-quantile.js';
import { memoryPerPlayer, SESSIONS } from './memory-per-player.js';
import { closedLoop } from './round-trips.js';
import { ServerHandle } from './server-handle.js';

/** Tick rate of the engine under test. */
const TICK_HZ = 20;
/**
 * Fixed concurrency of the round-trip runs: sessions × commands in flight each. The engine answers
 * at its ticks, so its rate is at most VUS × DEPTH × TICK_HZ (32,000/s here): high enough that
 * the engine is CPU-bound on a 2-core machine and the figure moves with its cost per command.
 */
const VUS = 100;
const DEPTH = 16;
/** Alternating runs per side; the median is kept. */
const REPEATS = 3;

async function withServer<T>(kind: 'engine' | 'echo', fn: (s: ServerHandle) => Promise<T>): Promise<T> {
  const server = await ServerHandle.start(kind, TICK_HZ);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

/**
 * Engine end to end, driven by @leviathan/loadgen, against a raw uWebSockets.js echo server driven
 * the same way in the same run: round trips per second at a fixed concurrency, server memory per
 * connected player, and the engine's tick duration p99 under that load against its tick interval.
 */
export async function runMacroBenchmarks(): Promise<BenchResult[]> {
  const rate = { engine: [] as number[], echo: [] as number[] };
  const tickP99: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    for (const kind of ['echo', 'engine'] as const) {
      await withServer(kind, async (server) => {
        const r = await closedLoop(server, { vus: VUS, depth: DEPTH, warmupMs: 2_000, windowMs: 4_000 });
        rate[kind].push(r.roundTripsPerSecond);
        if (kind === 'engine') {
          const name = 'leviathan_tick_duration_seconds';
          const p99 = quantileBetween(
            histogramBuckets(r.metricsBefore, name),
            histogramBuckets(r.metricsAfter, name),
            0.99,
          );
          if (p99 === undefined) throw new Error('the engine ran no tick in the measured window');
          tickP99.push(p99 * 1000);
        }
      });
    }
  }
  const perPlayer = { engine: [] as number[], echo: [] as number[] };
  for (let i = 0; i < REPEATS; i++) {
    for (const kind of ['echo', 'engine'] as const) {
      // Both sides of each run (this process and the server) hold 12,000 sockets, under the
      // 20,000 open-files limit of one process.
      perPlayer[kind].push(await withServer(kind, memoryPerPlayer));
    }
  }
  strictEqual(perPlayer.engine.length, REPEATS);
  const load = `${VUS} sessions × ${DEPTH} in flight, ${TICK_HZ} Hz, 2 shards`;
  return [
    {
      name: `macro: command round trips per second (loadgen, ${load}) (vs raw uWS echo)`,
      unit: 'rt/s',
      value: median(rate.engine),
      reference: median(rate.echo),
      ratio: median(rate.echo) / median(rate.engine),
    },
    {
      name: `macro: server memory per connected player (${SESSIONS} idle sessions, all connected) (vs raw uWS echo)`,
      unit: 'bytes',
      value: median(perPlayer.engine),
      reference: median(perPlayer.echo),
      ratio: median(perPlayer.engine) / median(perPlayer.echo),
    },
    {
      name: `macro: tick duration p99 under load (${load}) (vs the tick interval)`,
      unit: 'ms',
      value: median(tickP99),
      reference: 1000 / TICK_HZ,
      ratio: median(tickP99) / (1000 / TICK_HZ),
    },
  ];
}
