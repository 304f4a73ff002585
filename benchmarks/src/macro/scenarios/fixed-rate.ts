import type { Options, Vu } from '@leviathan/loadgen';

/**
 * Open model: MACRO_RATE commands per second in total, whatever the server's answer time, from a
 * pool of MACRO_VUS sessions (each iteration sends one command on its VU's session, opened and
 * authenticated on the VU's first iteration), until the benchmark stops the test (drive.ts).
 * Enough sessions that none is missing at the engine's tick: at 10 Hz a command waits up to
 * 100 ms, so 2,000/s keeps ~100–200 in flight, several times more when a busy machine delays
 * replies.
 */
export const options: Options = {
  scenarios: {
    rate: {
      executor: 'constant-arrival-rate',
      rate: Number(process.env.MACRO_RATE ?? 1000),
      timeUnit: '1s',
      duration: '10m',
      preAllocatedVUs: Number(process.env.MACRO_VUS ?? 200),
      maxVUs: Number(process.env.MACRO_VUS ?? 200),
      gracefulStop: '2s',
    },
  },
};

export default async function (vu: Vu): Promise<void> {
  let ws = vu.state.ws as Awaited<ReturnType<Vu['connect']>> | undefined;
  if (ws === undefined) {
    ws = await vu.connect(process.env.MACRO_URL as string);
    vu.state.ws = ws;
    // MACRO_NAME_STRIDE and MACRO_NAME_OFFSET pick which names, so which zones of the echo game
    // (`r<n>` starts in zone `z<n % 4>`): the cluster probe puts every player in one zone.
    const n = vu.id * Number(process.env.MACRO_NAME_STRIDE ?? 1) + Number(process.env.MACRO_NAME_OFFSET ?? 0);
    const answer = await ws.auth({ username: `r${n}`, token: 'test-token' });
    if (answer.type !== 'auth-ok') throw new Error(`auth failed: ${JSON.stringify(answer)}`);
  }
  const reply = await ws.command('echo hello world');
  vu.check(reply, { 'command answered': (r) => r.type === 'reply' && r.ok });
}
