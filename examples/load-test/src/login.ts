import type { Vu } from '@leviathan/loadgen';

/** Where the engine listens; `LEVIATHAN_URL` overrides (CI points it at the server it started). */
export function targetUrl(): string {
  return process.env.LEVIATHAN_URL ?? 'ws://localhost:8080/ws';
}

/**
 * The seed's iteration: open a WebSocket, authenticate as `player<VU>` with the development token,
 * check that the answer is `auth-ok`, wait a second, leave.
 */
export async function loginIteration(vu: Vu): Promise<void> {
  const ws = await vu.connect(targetUrl());
  try {
    const answer = await ws.auth({ username: `player${vu.id}`, token: 'test-token' });
    vu.check(answer, { 'auth successful': (m) => m.type === 'auth-ok' });
    await vu.sleep(1000);
  } finally {
    await ws.close();
  }
}
