import { setTimeout as sleep } from 'node:timers/promises';
import { runTest } from '@leviathan/loadgen';
import { CommandWindow, type CommandWindowResult } from './command-window.js';
import type { ServerHandle } from './server-handle.js';

export interface DriveOptions {
  /** Scenario file (scenarios/*.ts), run by @leviathan/loadgen in one worker thread of this process. */
  scenario: string;
  /** Environment the scenario reads its settings from (set before the worker starts). */
  env: Record<string, string>;
  /** Load before the measured window (connecting, JIT warm-up of both sides), in ms. */
  warmupMs: number;
  /** Measured window, in ms. */
  windowMs: number;
}

/** Interval of the load generator's aggregates: the resolution of the window's ends. */
const INTERVAL_MS = 250;

/**
 * Drives `server` with a scenario, measures one window after the warm-up (command-window.ts), then
 * stops the load (graceful stop) and checks that every command was answered and no iteration
 * failed: a fast wrong answer is not a result.
 */
export async function driveWindow(server: ServerHandle, o: DriveOptions): Promise<CommandWindowResult> {
  Object.assign(process.env, { MACRO_URL: server.url, ...o.env });
  const window = new CommandWindow(server, INTERVAL_MS);
  const stop = new AbortController();
  const run = runTest({
    scenario: o.scenario,
    workers: 1,
    intervalMs: INTERVAL_MS,
    onWarning: () => {},
    outputs: [window],
    signal: stop.signal,
  });
  let measured: CommandWindowResult;
  try {
    await Promise.race([sleep(o.warmupMs), run]);
    measured = await Promise.race([
      window.measure(o.windowMs),
      run.then(() => {
        throw new Error(`${server.kind}: the load ended before the measured window did`);
      }),
    ]);
  } finally {
    stop.abort();
  }
  const { summary, crashed } = await run;
  if (crashed) throw new Error(`${server.kind}: the load generator's worker crashed`);
  const checks = summary.metrics.checks;
  if (checks?.type === 'rate' && checks.values.rate < 1)
    throw new Error(`${server.kind}: some commands were not answered (checks ${checks.values.rate})`);
  const errors = summary.metrics.iteration_errors;
  if (errors?.type === 'counter' && errors.values.count > 0)
    throw new Error(
      `${server.kind}: ${errors.values.count} iteration errors: ${JSON.stringify(summary.errors)}`,
    );
  if (measured.commands === 0) throw new Error(`${server.kind}: no command answered in the measured window`);
  return measured;
}
