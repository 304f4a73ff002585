import type { Options, Vu } from '@leviathan/loadgen';

/**
 * Two waves of idle sessions against one server: FIRST sessions at once, then the rest at
 * SECOND_AT, each opening, authenticating and staying idle for MACRO_HOLD_MS (the benchmark reads
 * the server's memory after each wave, then aborts the test). Counts are fixed here, not read from
 * the environment: the load generator imports a scenario's options once per process.
 */
export const FIRST = 1_000;
export const TOTAL = 5_000;

export const options: Options = {
  scenarios: {
    first: {
      executor: 'per-vu-iterations',
      vus: FIRST,
      iterations: 1,
      maxDuration: '180s',
      gracefulStop: '0s',
    },
    second: {
      executor: 'per-vu-iterations',
      vus: TOTAL - FIRST,
      iterations: 1,
      maxDuration: '180s',
      gracefulStop: '0s',
      startTime: process.env.MACRO_SECOND_AT ?? '15s',
    },
  },
};

export default async function hold(vu: Vu): Promise<void> {
  const ws = await vu.connect(process.env.MACRO_URL as string, { timeoutMs: 30_000 });
  const answer = await ws.auth({ username: `h${vu.id}`, token: 'test-token' });
  vu.check(answer, { 'auth-ok': (m) => m.type === 'auth-ok' });
  await vu.sleep(Number(process.env.MACRO_HOLD_MS ?? 120_000));
  await ws.close();
}
