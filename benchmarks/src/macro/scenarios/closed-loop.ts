import type { Options, Vu } from '@leviathan/loadgen';

/**
 * Fixed concurrency: MACRO_VUS sessions, each keeping MACRO_DEPTH commands in flight (the next
 * sent when one is answered), until the benchmark stops the test (drive.ts). The load generator
 * imports a scenario's options once per process: the benchmark always sets the same values.
 */
export const options: Options = {
  scenarios: {
    loop: {
      executor: 'constant-vus',
      vus: Number(process.env.MACRO_VUS ?? 100),
      duration: '10m',
      gracefulStop: '2s',
    },
  },
};

const depth = Number(process.env.MACRO_DEPTH ?? 4);

export default async function (vu: Vu): Promise<void> {
  let ws = vu.state.ws as Awaited<ReturnType<Vu['connect']>> | undefined;
  if (ws === undefined) {
    ws = await vu.connect(process.env.MACRO_URL as string);
    vu.state.ws = ws;
    const answer = await ws.auth({ username: `m${vu.id}`, token: 'test-token' });
    if (answer.type !== 'auth-ok') throw new Error(`auth failed: ${JSON.stringify(answer)}`);
  }
  const session = ws;
  const replies = await Promise.all(Array.from({ length: depth }, () => session.command('echo hello world')));
  vu.check(replies, { 'every command answered': (rs) => rs.every((r) => r.type === 'reply' && r.ok) });
}
