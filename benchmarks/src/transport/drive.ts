import WebSocket from 'ws';

export interface DriveOptions {
  readonly url: string;
  readonly sessions: number;
  /** Commands each session keeps in flight. */
  readonly inFlight: number;
  /** Commands answered before the measurement starts (connections and JIT warmed up). */
  readonly warmup: number;
  /** Commands answered during the measurement (at least). */
  readonly commands: number;
}

/**
 * A closed loop of `ws` clients: each session logs in, then keeps `inFlight` echo commands
 * outstanding, sending the next when a reply comes. The server's CPU is read (`cpuUs`) once the
 * warm-up commands are answered and again once `commands` more are; the loop never pauses, and
 * the commands counted are those answered between the two readings' answers.
 */
export async function drive(
  options: DriveOptions,
  cpuUs: () => Promise<number>,
): Promise<{ cpuUs: number; commands: number }> {
  const sockets: WebSocket[] = [];
  let answered = 0;
  let sending = true;
  let startAt = -1;
  let measuring = false;
  let result: { cpuUs: number; commands: number } | undefined;
  let startCpu = 0;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  let nextId = 1;
  const send = (ws: WebSocket) => {
    if (sending) ws.send(`{"type":"cmd","line":"echo hello world","id":${nextId++}}`);
  };
  const onReply = () => {
    answered++;
    if (!measuring && startAt < 0 && answered >= options.warmup) {
      measuring = true;
      void cpuUs().then((cpu) => {
        startCpu = cpu;
        startAt = answered;
        measuring = false;
      });
    } else if (!measuring && startAt >= 0 && result === undefined && answered - startAt >= options.commands) {
      measuring = true;
      void cpuUs().then((cpu) => {
        result = { cpuUs: cpu - startCpu, commands: answered - startAt };
        sending = false;
        resolveDone();
      });
    }
  };
  await Promise.all(
    Array.from({ length: options.sessions }, (_, i) => {
      const ws = new WebSocket(options.url, { perMessageDeflate: false });
      sockets.push(ws);
      return new Promise<void>((resolve, reject) => {
        ws.once('error', reject);
        ws.once('open', () =>
          ws.send(JSON.stringify({ type: 'auth', username: `t${i}`, token: 'test-token' })),
        );
        ws.on('message', (data: Buffer) => {
          // Every message of this game is one small frame; `auth-ok` starts the session's loop.
          if (data.includes('"reply"')) {
            onReply();
            send(ws);
          } else if (data.includes('"auth-ok"')) resolve();
        });
      });
    }),
  );
  for (const ws of sockets) for (let i = 0; i < options.inFlight; i++) send(ws);
  await done;
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close();
        }),
    ),
  );
  return result!;
}
