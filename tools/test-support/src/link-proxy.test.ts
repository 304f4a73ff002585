import { createConnection, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type LinkProxy, startLinkProxy } from './link-proxy.js';

/** An echo server, and a client through `proxy` that sends a line and waits for it back. */
async function echo() {
  const server = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port };
}

function roundTrip(socket: Socket, text: string, timeoutMs: number): Promise<string | 'timeout'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('data', onData);
      resolve('timeout');
    }, timeoutMs);
    const onData = (d: Buffer) => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(d.toString());
    };
    socket.on('data', onData);
    socket.write(text);
  });
}

describe('a link proxy', () => {
  let proxy: LinkProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
  });

  it('passes traffic, drops it silently while cut (the connection stays open), and passes again once healed', async () => {
    const { server, port } = await echo();
    proxy = await startLinkProxy({ port });
    const first = createConnection({ host: '127.0.0.1', port: proxy.port });
    await new Promise((r) => first.once('connect', r));
    expect(await roundTrip(first, 'hello', 2000)).toBe('hello');
    proxy.cut();
    expect(await roundTrip(first, 'lost', 300)).toBe('timeout');
    const during = createConnection({ host: '127.0.0.1', port: proxy.port });
    await new Promise((r) => during.once('connect', r));
    expect(await roundTrip(during, 'also lost', 300)).toBe('timeout');
    const closed = new Promise((r) => first.once('close', r));
    proxy.heal();
    await closed;
    const after = createConnection({ host: '127.0.0.1', port: proxy.port });
    await new Promise((r) => after.once('connect', r));
    expect(await roundTrip(after, 'back', 2000)).toBe('back');
    for (const s of [first, during, after]) s.destroy();
    server.close();
  });
});
