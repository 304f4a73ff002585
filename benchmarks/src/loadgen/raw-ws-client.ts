/**
 * The reference: a minimal hand-written `ws` client loop, the least a Node load generator can
 * do. Each connection authenticates, then sends `cmd` with an id and sends the next one when the
 * reply with that `re` arrives (one request in flight per connection, as a loadgen VU does).
 *
 * argv: url, mode ("throughput" | "connections"), connections, warmupMs, windowMs
 * Prints one JSON line: { roundTrips, cpuMs, windowMs } or { rssBytes }.
 */
import WebSocket from 'ws';

const [url = '', mode = 'throughput', connArg = '50', warmArg = '2000', windowArg = '5000'] =
  process.argv.slice(2);
const connections = Number(connArg);
const warmupMs = Number(warmArg);
const windowMs = Number(windowArg);

let roundTrips = 0;
let running = true;
const sockets: WebSocket[] = [];

function open(i: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('error', reject);
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'auth', username: `raw${i}`, token: 'test-token' }));
      ws.once('message', () => resolve(ws));
    });
  });
}

async function main(): Promise<void> {
  for (let i = 0; i < connections; i++) sockets.push(await open(i));
  if (mode === 'connections') {
    global.gc?.();
    await new Promise((r) => setTimeout(r, 500));
    const mem = process.memoryUsage();
    process.stdout.write(
      `${JSON.stringify({ rssBytes: mem.rss, heapBytes: mem.heapUsed, externalBytes: mem.external + mem.arrayBuffers, heapTotalBytes: mem.heapTotal })}\n`,
    );
  } else {
    for (const ws of sockets) {
      let id = 0;
      const next = () => {
        if (!running) return;
        ws.send(JSON.stringify({ type: 'cmd', line: 'look', id: ++id }));
      };
      ws.on('message', (data: Buffer) => {
        const m = JSON.parse(data.toString()) as { re?: number };
        if (m.re === id) {
          roundTrips++;
          next();
        }
      });
      next();
    }
    await new Promise((r) => setTimeout(r, warmupMs));
    const cpu0 = process.cpuUsage();
    const n0 = roundTrips;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, windowMs));
    const cpu = process.cpuUsage(cpu0);
    const n = roundTrips - n0;
    const t = performance.now() - t0;
    running = false;
    process.stdout.write(
      `${JSON.stringify({
        roundTrips: n,
        cpuMs: (cpu.user + cpu.system) / 1000,
        systemMs: cpu.system / 1000,
        windowMs: t,
      })}\n`,
    );
  }
  for (const ws of sockets) ws.terminate();
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
