import type { Options, Vu } from '@leviathan/loadgen';

/**
 * A crowd: CROWD_SESSIONS sessions open and authenticate, CROWD_LOGINS_PER_SECOND of them a second
 * (players arrive over time; 12,000 sockets opened in the same millisecond measure the kernel's
 * accept queue, not the engine), then stay idle until the benchmark
 * broadcasts "go" on CROWD_GO_CHANNEL (a BroadcastChannel: the load generator's worker thread runs
 * in the benchmark's process); from then on they send CROWD_RATE commands per second in total,
 * spread evenly over all of them: each session sends one command every CROWD_SESSIONS / CROWD_RATE
 * seconds (12 s), session n first at (n − 1) / CROWD_RATE seconds after "go", on a fixed schedule
 * (a slow answer does not delay the next command). Until the benchmark stops the test.
 * The counts are constants, not read from the environment: the load generator imports a
 * scenario's options once per process.
 */
export const CROWD_SESSIONS = 12_000;
export const CROWD_RATE = 1_000;
export const CROWD_LOGINS_PER_SECOND = 1_000;
export const CROWD_GO_CHANNEL = 'leviathan-bench-macro-crowd-go';

export const options: Options = {
  scenarios: {
    crowd: {
      executor: 'per-vu-iterations',
      vus: CROWD_SESSIONS,
      iterations: 1,
      maxDuration: '20m',
      gracefulStop: '0s',
    },
  },
};

/** Resolves (with this thread's clock) when the benchmark says go. */
const go = new Promise<number>((resolve) => {
  const channel = new BroadcastChannel(CROWD_GO_CHANNEL);
  // Neither the main thread's copy of this module nor the worker's may be kept alive by it.
  (channel as unknown as { unref(): void }).unref();
  channel.onmessage = () => {
    resolve(performance.now());
    channel.close();
  };
});

export default async function crowd(vu: Vu): Promise<void> {
  await vu.sleep(((vu.id - 1) % CROWD_SESSIONS) * (1000 / CROWD_LOGINS_PER_SECOND));
  const ws = await vu.connect(process.env.MACRO_URL as string, { timeoutMs: 120_000 });
  const answer = await ws.auth({ username: `c${vu.id}`, token: 'test-token' });
  vu.check(answer, { 'auth-ok': (m) => m.type === 'auth-ok' });
  const periodMs = (CROWD_SESSIONS / CROWD_RATE) * 1000;
  let next = (await go) + ((vu.id - 1) % CROWD_SESSIONS) * (1000 / CROWD_RATE);
  for (;;) {
    const wait = next - performance.now();
    if (wait > 0) await vu.sleep(wait);
    const reply = await ws.command('echo hello world', { timeoutMs: periodMs });
    vu.check(reply, { 'command answered': (r) => r.type === 'reply' && r.ok });
    next += periodMs;
  }
}
