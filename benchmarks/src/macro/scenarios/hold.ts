import type { Options, Vu } from '@leviathan/loadgen';

/**
 * Three waves of idle sessions against one server, WAVE sessions each, 10 s apart; each session
 * opens, authenticates and stays idle for MACRO_HOLD_MS. The benchmark reads the server's memory
 * after the second and the third wave (then aborts the test): the first wave only brings the
 * process to the state a burst of logins leaves behind, so the two readings differ by the
 * sessions' own memory. Counts are fixed here, not read from the environment: the load generator
 * imports a scenario's options once per process.
 */
export const WAVE = 2_000;
export const WAVES = 3;

const wave = (startTime: string) => ({
  executor: 'per-vu-iterations' as const,
  vus: WAVE,
  iterations: 1,
  maxDuration: '180s',
  gracefulStop: '0s',
  startTime,
});

export const options: Options = {
  scenarios: { first: wave('0s'), second: wave('10s'), third: wave('20s') },
};

export default async function hold(vu: Vu): Promise<void> {
  const ws = await vu.connect(process.env.MACRO_URL as string, { timeoutMs: 30_000 });
  const answer = await ws.auth({ username: `h${vu.id}`, token: 'test-token' });
  vu.check(answer, { 'auth-ok': (m) => m.type === 'auth-ok' });
  await vu.sleep(Number(process.env.MACRO_HOLD_MS ?? 120_000));
  await ws.close();
}
