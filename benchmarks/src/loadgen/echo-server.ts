/**
 * The server side of the load generator benchmark, in its own process so that the clients' CPU
 * is measured alone: a uWebSockets.js server answering `auth` with `auth-ok` and `cmd` with a
 * `reply` carrying `re`, the engine's flow at its cheapest. Prints its port, then serves until
 * stdin closes.
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
      ws.send(`{"type":"reply","re":${JSON.stringify(m.id)},"ok":true,"text":"You see a room."}`);
    }
  },
});
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
