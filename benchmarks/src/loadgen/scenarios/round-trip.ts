import type { Options, Vu } from '@leviathan/loadgen';

/** Closed loop: each VU keeps one session and sends `cmd`, awaiting the reply, as fast as it can. */
export const options: Options = {
  scenarios: {
    loop: {
      executor: 'constant-vus',
      vus: Number(process.env.BENCH_CONNECTIONS ?? 50),
      duration: process.env.BENCH_DURATION ?? '8s',
      gracefulStop: '1s',
    },
  },
};

export default async function (vu: Vu): Promise<void> {
  let ws = vu.state.ws as Awaited<ReturnType<Vu['connect']>> | undefined;
  if (ws === undefined) {
    ws = await vu.connect(process.env.BENCH_URL as string);
    vu.state.ws = ws;
    await ws.auth({ username: `lg${vu.id}`, token: 'test-token' });
  }
  await ws.command('look');
}
