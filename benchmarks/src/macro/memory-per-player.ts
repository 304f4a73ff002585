import { fileURLToPath } from 'node:url';
import { runTest } from '@leviathan/loadgen';
import { FIRST, TOTAL } from './scenarios/hold.js';
import type { ServerHandle } from './server-handle.js';

const scenario = fileURLToPath(new URL('./scenarios/hold.ts', import.meta.url));

/**
 * Marginal server memory per idle authenticated session: RSS (after a full GC) with FIRST
 * sessions open, then with TOTAL open, in the same server process, divided by the sessions added.
 * Both readings in one process: readings from two fresh processes differed by a megabyte or more
 * (the raw echo's figure even came out negative), while one process only grows between them.
 * The second wave starts 15 s after the first; the test is aborted once both readings are taken.
 */
export async function memoryPerPlayer(server: ServerHandle): Promise<number> {
  process.env.MACRO_URL = server.url;
  const stop = new AbortController();
  const run = runTest({ scenario, workers: 1, onWarning: () => {}, signal: stop.signal });
  let perPlayer = Number.NaN;
  try {
    await server.waitForPlayers(FIRST);
    const first = await server.rss();
    if ((await server.players()) > FIRST) throw new Error('the second wave started before the first reading');
    await server.waitForPlayers(TOTAL);
    const total = await server.rss();
    if ((await server.players()) < TOTAL) throw new Error(`${server.kind}: sessions left before the reading`);
    perPlayer = (total - first) / (TOTAL - FIRST);
  } finally {
    stop.abort();
  }
  const { summary } = await run;
  const checks = summary.metrics.checks;
  if (checks?.type === 'rate' && checks.values.rate < 1)
    throw new Error(`${server.kind}: some logins failed`);
  return perPlayer;
}
