import type { Options, Vu } from '@leviathan/loadgen';

/**
 * SESSIONS idle sessions against one server: each opens, authenticates and stays idle for
 * MACRO_HOLD_MS (the benchmark reads the server's memory once all are in, then aborts the test).
 * The count is fixed here, not read from the environment: the load generator imports a
 * scenario's options once per process.
 */
export const SESSIONS = 12_000;

export const options: Options = {
  scenarios: {
    hold: {
      executor: 'per-vu-iterations',
      vus: SESSIONS,
      iterations: 1,
      maxDuration: '180s',
      gracefulStop: '0s',
    },
  },
};

export default async function hold(vu: Vu): Promise<void> {
  const ws = await vu.connect(process.env.MACRO_URL as string, { timeoutMs: 60_000 });
  const answer = await ws.auth({ username: `h${vu.id}`, token: 'test-token' });
  vu.check(answer, { 'auth-ok': (m) => m.type === 'auth-ok' });
  await vu.sleep(Number(process.env.MACRO_HOLD_MS ?? 150_000));
  await ws.close();
}
