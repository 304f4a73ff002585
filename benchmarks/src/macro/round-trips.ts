import { fileURLToPath } from 'node:url';
import { runTest } from '@leviathan/loadgen';
import type { ServerHandle } from './server-handle.js';

const scenario = fileURLToPath(new URL('./scenarios/closed-loop.ts', import.meta.url));

export interface ClosedLoopOptions {
  /** Sessions. */
  vus: number;
  /** Commands in flight per session. */
  depth: number;
  /** Warm-up before the measured window, in ms. */
  warmupMs: number;
  /** Measured window, in ms. */
  windowMs: number;
}

export interface ClosedLoopResult {
  roundTripsPerSecond: number;
  /** Engine only: Prometheus text at the window's start and end. */
  metricsBefore: string;
  metricsAfter: string;
}

/**
 * Drives `server` with @leviathan/loadgen (one worker thread, in this process) at a fixed
 * concurrency and counts the command round trips (`ws_cmd_duration` samples) in a steady window
 * that starts after the warm-up, so connecting and JIT warm-up are left out.
 */
export async function closedLoop(server: ServerHandle, o: ClosedLoopOptions): Promise<ClosedLoopResult> {
  process.env.MACRO_URL = server.url;
  process.env.MACRO_VUS = String(o.vus);
  process.env.MACRO_DEPTH = String(o.depth);
  process.env.MACRO_DURATION = `${o.warmupMs + o.windowMs + 1000}ms`;
  const intervalMs = 250;
  let t0 = 0;
  let seconds = 0;
  let roundTrips = 0;
  let before: Promise<string> | undefined;
  let after: Promise<string> | undefined;
  const { summary, crashed } = await runTest({
    scenario,
    workers: 1,
    intervalMs,
    onWarning: () => {},
    onInterval: (_seq, _end, elapsed, agg) => {
      if (after !== undefined) return;
      if (before === undefined) {
        if (elapsed >= o.warmupMs) {
          t0 = performance.now();
          before = server.kind === 'engine' ? server.metrics() : Promise.resolve('');
        }
        return;
      }
      const v = agg.values('ws_cmd_duration', intervalMs);
      roundTrips += v?.type === 'trend' ? v.values.count : 0;
      if (performance.now() - t0 >= o.windowMs) {
        seconds = (performance.now() - t0) / 1000;
        after = server.kind === 'engine' ? server.metrics() : Promise.resolve('');
      }
    },
  });
  if (crashed) throw new Error(`${server.kind}: the load generator's worker crashed`);
  const checks = summary.metrics.checks;
  if (checks?.type === 'rate' && checks.values.rate < 1)
    throw new Error(`${server.kind}: some commands were not answered (checks ${checks.values.rate})`);
  const errors = summary.metrics.iteration_errors;
  if (errors?.type === 'counter' && errors.values.count > 0)
    throw new Error(
      `${server.kind}: ${errors.values.count} iteration errors: ${JSON.stringify(summary.errors)}`,
    );
  if (before === undefined || after === undefined || roundTrips === 0)
    throw new Error(`${server.kind}: the run ended before the measured window did`);
  return {
    roundTripsPerSecond: roundTrips / seconds,
    metricsBefore: await before,
    metricsAfter: await after,
  };
}
