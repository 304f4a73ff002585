import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { runTest } from '@leviathan/loadgen';
import { CommandWindow } from './command-window.js';
import { CROWD_GO_CHANNEL, CROWD_RATE, CROWD_SESSIONS } from './scenarios/crowd.js';
import type { ServerHandle } from './server-handle.js';
import { tickP99Between } from './tick-p99.js';

const scenario = fileURLToPath(new URL('./scenarios/crowd.ts', import.meta.url));

export { CROWD_RATE, CROWD_SESSIONS };

export interface CrowdResult {
  /** RSS at rest with every session in, minus before the first, per session, in bytes. */
  bytesPerPlayer: number;
  /** The same of the JavaScript heap of every thread, in bytes. */
  heapPerPlayer: number;
  /** Where that heap is: per thread (main, gateway-0, shard-0, ...), in bytes per player. */
  heapPerPlayerByThread: Record<string, number>;
  /** The growth of each thread's resident heap pages (used or free), in bytes per player. */
  residentPerPlayerByThread: Record<string, number>;
  /** Tick duration p99 over the window (every shard), in ms. */
  tickP99Ms: number;
  /** Ticks observed in the window (every shard). */
  ticks: number;
  /** Commands answered per second in the window. */
  commandsPerSecond: number;
}

/**
 * The crowd (scenarios/crowd.ts) against the engine: CROWD_SESSIONS sessions connect and
 * authenticate (every one must: a capacity check), the server's memory at rest is read with all
 * of them in and idle, as before the first (server-process.ts: the smallest RSS and JavaScript
 * heap over 20 s), then they
 * send CROWD_RATE commands per second in total, and after `warmupMs` (at least one full period,
 * so every session has sent a command) the tick p99 is read over `windowMs` from the engine's
 * /metrics histogram (the difference between two scrapes). Both processes hold CROWD_SESSIONS
 * sockets, under the 20,000 open-files limit of a process here.
 */
export async function crowd(
  server: ServerHandle,
  o: { warmupMs: number; windowMs: number },
): Promise<CrowdResult> {
  process.env.MACRO_URL = server.url;
  const intervalMs = 250;
  const memBefore = await server.memory();
  const window = new CommandWindow(server, intervalMs);
  const stop = new AbortController();
  const run = runTest({
    scenario,
    workers: 1,
    intervalMs,
    onWarning: () => {},
    outputs: [window],
    signal: stop.signal,
  });
  const ended = run.then(() => {
    throw new Error(`${server.kind}: the crowd's load ended early`);
  });
  let bytesPerPlayer: number;
  let heapPerPlayer: number;
  let heapPerPlayerByThread: Record<string, number> = {};
  let residentPerPlayerByThread: Record<string, number> = {};
  let measured: Awaited<ReturnType<CommandWindow['measure']>>;
  try {
    await Promise.race([server.waitForPlayers(CROWD_SESSIONS, 180_000), ended]);
    const memAfter = await server.memory();
    if ((await server.players()) < CROWD_SESSIONS)
      throw new Error(`${server.kind}: sessions left before the reading`);
    bytesPerPlayer = (memAfter.rss - memBefore.rss) / CROWD_SESSIONS;
    heapPerPlayer = (memAfter.heap - memBefore.heap) / CROWD_SESSIONS;
    heapPerPlayerByThread = perPlayer(memBefore.heapByThread, memAfter.heapByThread);
    residentPerPlayerByThread = perPlayer(memBefore.residentByThread, memAfter.residentByThread);
    const go = new BroadcastChannel(CROWD_GO_CHANNEL);
    go.postMessage('go');
    go.close();
    await Promise.race([sleep(o.warmupMs), ended]);
    measured = await Promise.race([window.measure(o.windowMs), ended]);
  } catch (error) {
    // Say why sessions are missing: the load generator's own tally of what went wrong.
    stop.abort();
    const { summary } = await run.catch(() => ({ summary: undefined }));
    const why =
      summary === undefined ? '' : ` (load generator: ${JSON.stringify(summary.errors).slice(0, 2000)})`;
    throw new Error(`${error instanceof Error ? error.message : String(error)}${why}`, { cause: error });
  } finally {
    stop.abort();
  }
  const { summary } = await run;
  const checks = summary.metrics.checks;
  if (checks?.type === 'rate' && checks.values.rate < 1)
    throw new Error(`${server.kind}: a login or a command failed (checks ${checks.values.rate})`);
  const commandsPerSecond = measured.commands / measured.seconds;
  if (Math.abs(commandsPerSecond - CROWD_RATE) > 0.05 * CROWD_RATE)
    throw new Error(
      `${server.kind}: the crowd sent ${commandsPerSecond.toFixed(0)} commands/s, not ${CROWD_RATE}`,
    );
  const { p99Ms, ticks } = tickP99Between(measured.before.metrics, measured.after.metrics);
  return {
    bytesPerPlayer,
    heapPerPlayer,
    heapPerPlayerByThread,
    residentPerPlayerByThread,
    tickP99Ms: p99Ms,
    ticks,
    commandsPerSecond,
  };
}

/** Each thread's growth from `before` to `after`, per crowd session, in whole bytes. */
function perPlayer(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([thread, bytes]) => [
      thread,
      Math.round((bytes - (before[thread] ?? 0)) / CROWD_SESSIONS),
    ]),
  );
}
