/**
 * The server side of the load generator benchmark, in its own process so that the clients' CPU
 * is measured alone: a uWebSockets.js server answering `auth` with `auth-ok` and `cmd` with a
 * `reply` carrying `re`, the engine's flow at its cheapest. Prints its port, then serves until
 * stdin closes.
 *
 * `cmd` with the line `stall N` (capacity.ts) first blocks this server's event loop for N ms (a
 * busy wait: a garbage-collection pause or a slow handler as a client sees it), prints
 * `{"stall":{"startEpochMs","endEpochMs"}}` and then replies.
 */
import uWS from 'uWebSockets.js';

const app = uWS.App();
app.ws<Record<string, never>>('/ws', {
  idleTimeout: 120,
  maxPayloadLength: 16 * 1024,
  message: (ws, data) => {
    const m = JSON.parse(Buffer.from(data).toString()) as {
      type: string;
      id?: number | string;
      username?: string;
    };
    if (m.type === 'auth') {
      ws.send(
        JSON.stringify({
          type: 'auth-ok',
          version: 1,
          username: m.username,
          session: 's',
          capabilities: [],
          serverTime: Date.now(),
        }),
      );
    } else if (m.type === 'cmd') {
      const stall = /^stall (\d+)$/.exec((m as { line?: string }).line ?? '');
      if (stall !== null) busyWait(Number(stall[1]));
      ws.send(`{"type":"reply","re":${JSON.stringify(m.id)},"ok":true,"text":"You see a room."}`);
    }
  },
});
function busyWait(ms: number): void {
  const startEpochMs = Date.now();
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Nothing: the point is that nothing else runs.
  }
  process.stdout.write(`${JSON.stringify({ stall: { startEpochMs, endEpochMs: Date.now() } })}\n`);
}

app.listen('127.0.0.1', 0, (token) => {
  if (!token) {
    process.stderr.write('cannot listen\n');
    process.exit(1);
  }
  const native = String(uWS.App).includes('[native code]');
  process.stdout.write(`${JSON.stringify({ port: uWS.us_socket_local_port(token), native })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    uWS.us_listen_socket_close(token);
    process.exit(0);
  });
});
