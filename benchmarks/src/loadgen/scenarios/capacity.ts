import type { Options, Vu } from '@leviathan/loadgen';

/**
 * Capacity (capacity.ts): BENCH_CONNECTIONS VUs in this one process, each holding one
 * authenticated session, opened at most BENCH_CONNECTING at a time (loadgen's `maxConnecting`)
 * over four loopback source addresses (so that ephemeral ports, some still in TIME_WAIT from the
 * suite's earlier runs, never run short). A bound, not a rate: opening at a fixed 1,000 or 2,000
 * per second on this busy 2-core machine, the worker fell so far behind that it sent some upgrade
 * requests after uWS's 10 s HTTP timeout, and 3,000 of 19,000 connects failed ("socket hang up");
 * with a bound, the opening goes as fast as the machine allows. Once all are connected every VU sends a `look` every BENCH_PERIOD_MS from a
 * random phase, for BENCH_HOLD_MS. BENCH_STALL_AFTER_MS into the hold, the last VU to connect asks
 * the server to stall its event loop for BENCH_STALL_MS (`cmd` `stall N`, sent with `send`, so
 * that the trigger's own reply is not measured): the stall must show in the other VUs' round
 * trips. That VU also records the process's RSS (`bench_rss_bytes`) once all are connected.
 */
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const vus = env('BENCH_CONNECTIONS', 1000);
const connecting = env('BENCH_CONNECTING', 100);
const periodMs = env('BENCH_PERIOD_MS', 10_000);
const holdMs = env('BENCH_HOLD_MS', 12_000);
const stallAfterMs = env('BENCH_STALL_AFTER_MS', 5000);
const stallMs = env('BENCH_STALL_MS', 300);

export const options: Options = {
  maxConnecting: connecting,
  ...(env('BENCH_SPREAD', 4) > 0 ? { localAddresses: { loopbackSpread: env('BENCH_SPREAD', 4) } } : {}),
  scenarios: {
    hold: {
      executor: 'per-vu-iterations',
      vus,
      iterations: 1,
      maxDuration: '150s',
      gracefulStop: '5s',
    },
  },
};

/** VUs connected and authenticated, and VUs that failed to: the hold starts when all are one or the other. */
let connected = 0;
let failed = 0;
let allConnected: (atMs: number) => void = () => {};
const holdStarts = new Promise<number>((resolve) => {
  allConnected = resolve;
});
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function (vu: Vu): Promise<void> {
  let ws: Awaited<ReturnType<Vu['connect']>>;
  try {
    ws = await vu.connect(process.env.BENCH_URL as string, { timeoutMs: 30_000 });
    const answer = await ws.auth({ username: `cap${vu.id}`, token: 'test-token' }, { timeoutMs: 30_000 });
    if (answer.type !== 'auth-ok') throw new Error(`VU ${vu.id}: ${answer.type}`);
  } catch (e) {
    // Counted by loadgen (ws_errors, iteration_errors); the others need not wait for this VU.
    if (connected + ++failed === vus) allConnected(performance.now());
    throw e;
  }
  connected++;
  if (connected + failed === vus) {
    allConnected(performance.now());
    (globalThis as { gc?: () => void }).gc?.();
    vu.metrics.gauge('bench_rss_bytes').set(process.memoryUsage().rss);
    await delay(stallAfterMs);
    ws.send({ type: 'cmd', line: `stall ${stallMs}`, id: 'stall' });
  }
  const endMs = (await holdStarts) + holdMs;
  await vu.sleep(Math.random() * periodMs);
  while (performance.now() < endMs) {
    await ws.command('look');
    await vu.sleep(periodMs);
  }
  await ws.close();
}
