import { createServer as createTcpServer, type Socket } from 'node:net';
import { freePort } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSource } from '../src/dashboard/node-source.js';
import type { LeviathanServer } from '../src/index.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';

/**
 * Node mode against a real engine: the figures `leviathan top` shows come from its `/metrics`,
 * with players, commands, latency, both shards on the grid and the busiest zones; and an engine
 * that stops answering reads as unreachable, with the reason.
 */
describe('nodeSource against a running engine', () => {
  let server: LeviathanServer;
  let port = 0;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    ({ server, port } = await startServer({ gatewayThreads: 2 }));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.close();
  });

  it('shows players, commands/s, latency against the tick, the shards and the busiest zones', async () => {
    clients.push(...(await Promise.all(['d1', 'd2', 'd3'].map((name) => TestClient.login(port, name)))));
    await clients[2]!.command('go beta');
    const source = nodeSource(`127.0.0.1:${port}`);
    expect(source.target).toBe(`http://127.0.0.1:${port}`);
    const first = await source.sample();
    expect(first.reachable).toBe(true);
    for (const c of clients) for (let i = 0; i < 5; i++) await c.command('echo hi');
    const second = await source.sample();
    const figure = (id: string) => second.figures.find((f) => f.id === id)!;

    expect(figure('players').value).toBe(3);
    expect(figure('commandsPerSecond').value).toBeGreaterThan(0);
    expect(figure('commandLatencyP99').text).toMatch(/ ms$/);
    expect(figure('commandLatencyP99').fill).toBeGreaterThan(0);
    expect(second.tickPeriodSeconds).toBe(0.05); // the test server ticks at 20 Hz
    expect(figure('shardsUp').text).toBe('100%');
    expect(figure('eventLoopLag').value).not.toBeNull();
    expect(figure('memoryPerPlayer').text).toMatch(/iB$/);
    expect(second.nodes).toEqual([expect.objectContaining({ node: source.target, up: true, players: 3 })]);
    expect(second.shards.map((s) => [s.shard, s.up, s.players])).toEqual([
      ['0', true, 2],
      ['1', true, 1],
    ]);
    expect(second.zones.map((z) => [z.zone, z.shard, z.players])).toEqual([
      ['alpha', '0', 2],
      ['beta', '1', 1],
    ]);
    source.close();
  });

  it('gives up on an engine that accepts the connection and never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port: silentPort } = silent.address() as { port: number };
    try {
      // Several in a row: each must time out on its own timer (a garbage-collected
      // AbortSignal.timeout() never fired and hung the view).
      for (let i = 0; i < 3; i++) {
        const snapshot = await nodeSource(`127.0.0.1:${silentPort}`, { timeoutMs: 200 }).sample();
        expect(snapshot.error).toBe(`http://127.0.0.1:${silentPort} did not answer within 200 ms`);
      }
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('reads an engine that does not answer as unreachable, saying why', async () => {
    const source = nodeSource(`http://127.0.0.1:${await freePort()}`);
    const snapshot = await source.sample();
    expect(snapshot.reachable).toBe(false);
    expect(snapshot.error).toMatch(/refused the connection/);
    expect(snapshot.nodes[0]?.up).toBe(false);
  });
});
