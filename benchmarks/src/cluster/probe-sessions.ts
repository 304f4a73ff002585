/** Sessions of the echo game for the cluster probes: `r<n>` plays in zone `z<n % 4>`. */
import WebSocket from 'ws';

/** How many sessions log in at once. */
const LOGIN_BATCH = 50;

export interface Session {
  readonly name: string;
  readonly zone: string;
  readonly ws: WebSocket;
  closeCode: number | undefined;
  readonly pending: Map<number, (msg: { type: string }) => void>;
  nextId: number;
}

/** Connects to a node and logs `r<n>` in (development auth). */
export async function open(port: number, n: number): Promise<Session> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const session: Session = {
    name: `r${n}`,
    zone: `z${n % 4}`,
    ws,
    closeCode: undefined,
    pending: new Map(),
    nextId: 1,
  };
  const authed = new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      for (const line of data.toString().split('\n')) {
        if (line === '') continue;
        const msg = JSON.parse(line) as { type: string; re?: number };
        if (msg.type === 'auth-ok') resolve();
        else if (msg.type === 'bye' && process.env.PROBE_DEBUG) console.log(session.name, line);
        else if (msg.type === 'auth-error') reject(new Error(`${session.name}: ${line}`));
        else if (typeof msg.re === 'number') {
          session.pending.get(msg.re)?.(msg);
          session.pending.delete(msg.re);
        }
      }
    });
  });
  ws.on('close', (code) => {
    session.closeCode = code;
  });
  ws.send(JSON.stringify({ type: 'auth', username: session.name, token: 'test-token' }));
  await authed;
  return session;
}

/** One `echo`: resolves with 'reply', 'error' (refused, e.g. while the zone moves) or 'closed'. */
export function echo(s: Session): Promise<string> {
  if (s.ws.readyState !== WebSocket.OPEN) return Promise.resolve('closed');
  const id = s.nextId++;
  return new Promise((resolve) => {
    s.pending.set(id, (msg) => resolve(msg.type));
    s.ws.once('close', () => resolve('closed'));
    s.ws.send(JSON.stringify({ type: 'cmd', line: 'echo x', id }));
  });
}

/** Logs `r<from>`…`r<from + count - 1>` in on a node, a batch at a time. */
export async function openMany(port: number, from: number, count: number): Promise<Session[]> {
  const out: Session[] = [];
  for (let i = 0; i < count; i += LOGIN_BATCH) {
    const batch = [];
    for (let n = from + i; n < from + Math.min(count, i + LOGIN_BATCH); n++) batch.push(open(port, n));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}
