/**
 * The reference: a raw uWebSockets.js echo server (the same uWS build as the engine), in a
 * process of its own. It answers `auth` with an `auth-ok` and echoes every other message as is,
 * so the client sees its own `id` come back. No parsing, no threads: the floor of what a
 * WebSocket round trip costs on this machine.
 */
import uWS from 'uWebSockets.js';

const AUTH_OK = JSON.stringify({
  type: 'auth-ok',
  version: 1,
  username: 'x',
  session: 's',
  capabilities: [],
  serverTime: 0,
});
const app = uWS.App().ws('/ws', {
  maxPayloadLength: 65536,
  idleTimeout: 120,
  message: (ws, message) => {
    // The first message of a connection is auth; a byte peek avoids parsing anything.
    const bytes = new Uint8Array(message);
    if (bytes[9] === 0x61 && bytes[10] === 0x75) ws.send(AUTH_OK, false);
    else ws.send(message, false);
  },
});
app.listen('127.0.0.1', 0, (token) => {
  if (!token) process.exit(1);
  process.send!({
    ready: true,
    port: uWS.us_socket_local_port(token as never),
    native: String(uWS.App).includes('[native code]'),
  });
});
process.on('message', (msg: string) => {
  if (msg === 'cpu') process.send!({ cpu: process.cpuUsage() });
  if (msg === 'rss') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send!({ rss: process.memoryUsage().rss });
  }
  if (msg === 'stop') process.exit(0);
});
