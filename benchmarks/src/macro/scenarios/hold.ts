import type { Options, Vu } from '@leviathan/loadgen';

/**
 * `vus` sessions open, authenticate, and stay idle for MACRO_HOLD_MS (memory per player). One
 * scenario file per count (hold-1000.ts, hold-5000.ts): the load generator imports a scenario's
 * options once per process, so one file read twice with other settings would keep the first.
 */
export function holdOptions(vus: number): Options {
  return {
    scenarios: {
      hold: { executor: 'per-vu-iterations', vus, iterations: 1, maxDuration: '120s', gracefulStop: '0s' },
    },
  };
}

export async function holdIteration(vu: Vu): Promise<void> {
  const ws = await vu.connect(process.env.MACRO_URL as string, { timeoutMs: 30_000 });
  const answer = await ws.auth({ username: `h${vu.id}`, token: 'test-token' });
  vu.check(answer, { 'auth-ok': (m) => m.type === 'auth-ok' });
  await vu.sleep(Number(process.env.MACRO_HOLD_MS ?? 8000));
  await ws.close();
}
