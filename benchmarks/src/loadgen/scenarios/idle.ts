import type { Options, Vu } from '@leviathan/loadgen';

/**
 * Every VU opens one session, authenticates and then holds it idle (memory per connection).
 * The last VU to authenticate collects this worker's garbage and, 500 ms later, reads the
 * process's RSS into the gauge `bench_rss_bytes`, as the reference does once all its connections
 * are open. (The sample used to be taken on a fixed clock, which with 3,000 connections on a busy
 * machine could come before every session was open.) The process runs with --expose-gc, a V8 flag
 * every isolate shares. The VUs connect as loadgen's default `maxConnecting` lets them, unless
 * BENCH_MAX_CONNECTING says otherwise.
 */
const vus = Number(process.env.BENCH_CONNECTIONS ?? 100);
/** loadgen's `maxConnecting`: its default unless set ('none': every VU connects at once). */
const bound = process.env.BENCH_MAX_CONNECTING;

export const options: Options = {
  ...(bound === undefined ? {} : { maxConnecting: bound === 'none' ? null : Number(bound) }),
  scenarios: {
    hold: {
      executor: 'per-vu-iterations',
      vus,
      iterations: 1,
      maxDuration: '120s',
      gracefulStop: '0s',
    },
  },
};

let authenticated = 0;
let release: () => void = () => {};
const sampled = new Promise<void>((resolve) => {
  release = resolve;
});

export default async function (vu: Vu): Promise<void> {
  const ws = await vu.connect(process.env.BENCH_URL as string);
  await ws.auth({ username: `idle${vu.id}`, token: 'test-token' });
  authenticated++;
  if (authenticated === vus) {
    (globalThis as { gc?: () => void }).gc?.();
    await vu.sleep(500);
    const mem = process.memoryUsage();
    vu.metrics.gauge('bench_rss_bytes').set(mem.rss);
    // This worker's V8 heap and the buffers outside it, to tell where a difference lies.
    vu.metrics.gauge('bench_heap_bytes').set(mem.heapUsed);
    vu.metrics.gauge('bench_external_bytes').set(mem.external + mem.arrayBuffers);
    vu.metrics.gauge('bench_heap_total_bytes').set(mem.heapTotal);
    release();
  }
  await sampled;
}
