import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeviathanServer } from '../src/index.js';
import { metricValue } from './helpers/prometheus-text.js';
import { RawWsClient } from './helpers/raw-ws-client.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';
import { TRANSPORTS } from './helpers/transports.js';

const MAX_BUFFERED = 256 * 1024;

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(TRANSPORTS)('backpressure (%s transport)', (transport) => {
  let server: LeviathanServer;
  let port: number;

  beforeAll(async () => {
    ({ server, port } = await startServer({ transport, maxBufferedBytes: MAX_BUFFERED }));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('closes a reader that never reads once its buffer passes the bound, without buffering everything', async () => {
    const bystander = await TestClient.login(port, 'bystander');
    const slow = await RawWsClient.connect(port);
    slow.sendText(JSON.stringify({ type: 'auth', username: 'sloth', token: 'test-token' }));
    // Wait for auth-ok to arrive, then stop reading for good.
    await waitFor(async () => (slow.bytesRead > 0 ? true : undefined));
    slow.pause();
    // 3000 messages of 4 KiB: 12 MiB, more than the kernel buffers (≈ 4 MiB here) plus the bound.
    const total = 3000 * 4096;
    slow.sendText(JSON.stringify({ type: 'cmd', line: 'spam 3000 4096', id: 1 }));

    const closes = await waitFor(async () => {
      const value = metricValue(await server.metrics(), 'leviathan_slow_consumer_closes_total');
      return value !== undefined && value >= 1 ? value : undefined;
    });
    expect(closes).toBe(1);
    const text = await server.metrics();
    // What was written to the socket stayed far below what the game produced: the rest was never buffered.
    const sent = metricValue(text, 'leviathan_bytes_sent_total') ?? 0;
    expect(sent).toBeLessThan(total * 0.75);
    expect(metricValue(text, 'leviathan_connections_closed_total', { reason: 'slow_consumer' })).toBe(1);
    // Everyone else is served as usual.
    expect(await bystander.command('echo unaffected')).toMatchObject({ ok: true, text: 'unaffected' });
    // The slow client, once it reads again, finds the connection closed.
    slow.resume();
    await slow.closed();
    bystander.close();
  });

  it('drops low-priority messages first under backpressure and keeps the socket', async () => {
    const client = await RawWsClient.connect(port);
    client.sendText(JSON.stringify({ type: 'auth', username: 'lowly', token: 'test-token' }));
    await waitFor(async () => (client.bytesRead > 0 ? true : undefined));
    client.pause();
    const before = metricValue(await server.metrics(), 'leviathan_slow_consumer_closes_total') ?? 0;
    client.sendText(JSON.stringify({ type: 'cmd', line: 'spam 3000 4096 low', id: 1 }));
    client.sendText(JSON.stringify({ type: 'cmd', line: 'echo after', id: 2 }));
    const probe = await TestClient.login(port, 'probe');
    await probe.command('echo sync');
    await probe.command('echo sync again');
    client.resume();
    // The low-priority flood was cut, the socket survived, and the normal replies behind it arrived.
    await waitFor(async () => (client.received('"re":2') ? true : undefined));
    expect(client.received('"text":"after"')).toBe(true);
    expect(client.ended).toBe(false);
    expect(client.bytesRead).toBeLessThan(3000 * 4096 * 0.75);
    const after = metricValue(await server.metrics(), 'leviathan_slow_consumer_closes_total') ?? 0;
    expect(after).toBe(before);
    client.socket.destroy();
    probe.close();
  });
});
