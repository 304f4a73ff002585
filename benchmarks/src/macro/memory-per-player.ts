import { fileURLToPath } from 'node:url';
import { runTest } from '@leviathan/loadgen';
import { SESSIONS } from './scenarios/hold.js';
import type { ServerHandle } from './server-handle.js';

const scenario = fileURLToPath(new URL('./scenarios/hold.ts', import.meta.url));

export { SESSIONS };

/**
 * Connection capacity and memory per connected player: SESSIONS sessions open and authenticate
 * (every one must: a capacity check), and the server's settled RSS with all of them in, minus its
 * settled RSS before the first, divided by SESSIONS. Both readings in one process, after full
 * collections and once RSS stops moving (server-process.ts).
 *
 * Why 12,000 sessions: RSS drifts by megabytes between readings (V8 and malloc returning memory
 * after bursts, worker threads collecting on their own schedules). With 2,000 sessions between
 * readings the raw echo's "per session" figure came out anywhere from −4 KB to +2.6 KB; 12,000
 * sessions make the sessions' own memory dominate, while both processes (this one and the server)
 * stay well under the 20,000 open-files limit.
 */
export async function memoryPerPlayer(server: ServerHandle): Promise<number> {
  process.env.MACRO_URL = server.url;
  const before = await server.rss();
  const stop = new AbortController();
  const run = runTest({ scenario, workers: 1, onWarning: () => {}, signal: stop.signal });
  let perPlayer = Number.NaN;
  try {
    await server.waitForPlayers(SESSIONS, 120_000);
    const after = await server.rss();
    if ((await server.players()) < SESSIONS)
      throw new Error(`${server.kind}: sessions left before the reading`);
    perPlayer = (after - before) / SESSIONS;
  } finally {
    stop.abort();
  }
  const { summary } = await run;
  const checks = summary.metrics.checks;
  if (checks?.type === 'rate' && checks.values.rate < 1)
    throw new Error(`${server.kind}: some logins failed`);
  return perPlayer;
}
