import type { Options, Vu } from '@leviathan/loadgen';

/**
 * IDLE_PLAYERS sessions log in, IDLE_LOGINS_PER_SECOND a second, and stay connected and silent
 * until the benchmark stops the test: the population whose engine a dashboard watches. Constants,
 * not environment: the load generator imports a scenario's options once per process.
 */
export const IDLE_PLAYERS = 10_000;
export const IDLE_LOGINS_PER_SECOND = 1_000;

export const options: Options = {
  scenarios: {
    idle: {
      executor: 'per-vu-iterations',
      vus: IDLE_PLAYERS,
      iterations: 1,
      maxDuration: '20m',
      gracefulStop: '0s',
    },
  },
};

export default async function idlePlayer(vu: Vu): Promise<void> {
  await vu.sleep(((vu.id - 1) % IDLE_PLAYERS) * (1000 / IDLE_LOGINS_PER_SECOND));
  const ws = await vu.connect(process.env.DASHBOARD_BENCH_URL as string, { timeoutMs: 120_000 });
  const answer = await ws.auth({ username: `idle${vu.id}`, token: 'test-token' });
  vu.check(answer, { 'auth-ok': (m) => m.type === 'auth-ok' });
  await vu.sleep(20 * 60_000);
}
