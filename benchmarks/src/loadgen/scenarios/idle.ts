import type { Options, Vu } from '@leviathan/loadgen';

/** Every VU opens one session, authenticates and then holds it idle (memory per connection). */
export const options: Options = {
  scenarios: {
    hold: {
      executor: 'per-vu-iterations',
      vus: Number(process.env.BENCH_CONNECTIONS ?? 100),
      iterations: 1,
      maxDuration: '60s',
      gracefulStop: '0s',
    },
  },
};

export default async function (vu: Vu): Promise<void> {
  const ws = await vu.connect(process.env.BENCH_URL as string);
  await ws.auth({ username: `idle${vu.id}`, token: 'test-token' });
  if (vu.id === 1) {
    // Collect this worker's garbage once everyone is connected, as the reference does before it
    // reads RSS (the process runs with --expose-gc, a V8 flag every isolate shares).
    await vu.sleep(1500);
    (globalThis as { gc?: () => void }).gc?.();
    await vu.sleep(2500);
  } else {
    await vu.sleep(4000);
  }
}
