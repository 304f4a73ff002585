import { fileURLToPath } from 'node:url';
import { runTest } from '@leviathan/loadgen';
import type { ServerHandle } from './server-handle.js';

/** Session counts that have a scenario file (scenarios/hold-<count>.ts). */
export const HOLD_COUNTS = [1_000, 5_000] as const;

/**
 * The server's RSS (after a full GC) while `players` authenticated sessions are open and idle.
 * The sessions hold until the reading is taken: the server is polled for its count of
 * authenticated connections, asked for its memory, and the test is then aborted (the sessions
 * would otherwise sleep out their hold, a cap for a machine too busy to connect them all).
 */
export async function rssWithPlayers(
  server: ServerHandle,
  players: (typeof HOLD_COUNTS)[number],
): Promise<number> {
  const scenario = fileURLToPath(new URL(`./scenarios/hold-${players}.ts`, import.meta.url));
  process.env.MACRO_URL = server.url;
  process.env.MACRO_HOLD_MS = '60000';
  let rss = 0;
  const stop = new AbortController();
  const run = runTest({ scenario, workers: 1, onWarning: () => {}, signal: stop.signal });
  try {
    await server.waitForPlayers(players);
    rss = await server.rss();
    const still = await server.players();
    if (still < players)
      throw new Error(`${server.kind}: sessions left before the reading (${still} of ${players})`);
  } finally {
    stop.abort();
  }
  const { summary } = await run;
  const checks = summary.metrics.checks;
  if (checks?.type === 'rate' && checks.values.rate < 1)
    throw new Error(`${server.kind}: some logins failed`);
  return rss;
}
