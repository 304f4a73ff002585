import type { Options, Vu } from '@leviathan/loadgen';

/**
 * The fixed-rate load of the macro suite (macro/scenarios/fixed-rate.ts), with every session's
 * player in one zone of the echo game: the game starts `r<n>` in zone `z<n % 4>`, so the names
 * here are `r<4 × vu + CLUSTER_ZONE>`.
 */
export const options: Options = {
  scenarios: {
    rate: {
      executor: 'constant-arrival-rate',
      rate: Number(process.env.CLUSTER_RATE ?? 1000),
      timeUnit: '1s',
      duration: '10m',
      preAllocatedVUs: Number(process.env.CLUSTER_VUS ?? 400),
      maxVUs: Number(process.env.CLUSTER_VUS ?? 400),
      gracefulStop: '2s',
    },
  },
};

export default async function (vu: Vu): Promise<void> {
  let ws = vu.state.ws as Awaited<ReturnType<Vu['connect']>> | undefined;
  if (ws === undefined) {
    ws = await vu.connect(process.env.CLUSTER_URL as string);
    vu.state.ws = ws;
    const username = `r${vu.id * 4 + Number(process.env.CLUSTER_ZONE ?? 0)}`;
    const answer = await ws.auth({ username, token: 'test-token' });
    if (answer.type !== 'auth-ok') throw new Error(`auth failed: ${JSON.stringify(answer)}`);
  }
  const reply = await ws.command('echo hello world');
  vu.check(reply, { 'command answered': (r) => r.type === 'reply' && r.ok });
}
