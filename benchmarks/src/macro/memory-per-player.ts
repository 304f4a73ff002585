import { fileURLToPath } from 'node:url';
import { runTest } from '@leviathan/loadgen';
import { WAVE, WAVES } from './scenarios/hold.js';
import type { ServerHandle } from './server-handle.js';

const scenario = fileURLToPath(new URL('./scenarios/hold.ts', import.meta.url));

/** Sessions open at the two readings. */
export const FIRST_READING = WAVE * (WAVES - 1);
export const SECOND_READING = WAVE * WAVES;

/**
 * Marginal server memory per idle authenticated session: RSS (after full GCs) with 4,000
 * sessions open and then with 6,000, in one server process, divided by the 2,000 added. A first
 * wave of 2,000 logins comes before both readings. Measured without it: readings from two fresh
 * processes (1,000 and 5,000 sessions) differed by megabytes either way, and in one process the
 * reading after the first burst of logins was higher than the one after 4,000 more sessions
 * (memory freed by the burst was reused, a negative "per session" figure).
 */
export async function memoryPerPlayer(server: ServerHandle): Promise<number> {
  process.env.MACRO_URL = server.url;
  const stop = new AbortController();
  const run = runTest({ scenario, workers: 1, onWarning: () => {}, signal: stop.signal });
  let perPlayer = Number.NaN;
  try {
    await server.waitForPlayers(FIRST_READING);
    const first = await server.rss();
    if ((await server.players()) > FIRST_READING)
      throw new Error('the last wave started before the first reading');
    await server.waitForPlayers(SECOND_READING);
    const second = await server.rss();
    if ((await server.players()) < SECOND_READING)
      throw new Error(`${server.kind}: sessions left before the reading`);
    perPlayer = (second - first) / (SECOND_READING - FIRST_READING);
  } finally {
    stop.abort();
  }
  const { summary } = await run;
  const checks = summary.metrics.checks;
  if (checks?.type === 'rate' && checks.values.rate < 1)
    throw new Error(`${server.kind}: some logins failed`);
  return perPlayer;
}
