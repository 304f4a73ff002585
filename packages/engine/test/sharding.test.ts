import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeviathanServer } from '../src/index.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';

let server: LeviathanServer;
let port: number;

beforeAll(async () => {
  ({ server, port } = await startServer({
    gatewayThreads: 2,
    commandRate: { perSecond: 1000, burst: 1000 },
  }));
});

afterAll(async () => {
  await server?.close();
});

describe('shards', () => {
  it('serves hundreds of clients spread over both shards (two gateway threads)', async () => {
    const count = 300;
    const clients: TestClient[] = [];
    for (let batch = 0; batch < count; batch += 50) {
      clients.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, i) => TestClient.login(port, `crowd${batch + i}`)),
        )),
      );
    }
    // Half of them walk to the zone of the other shard.
    const moved = await Promise.all(
      clients.map((c, i) => (i % 2 === 1 ? c.command('go beta') : Promise.resolve(null))),
    );
    expect(moved.filter((m) => m !== null).every((m) => m!.ok === true)).toBe(true);
    const answers = await Promise.all(clients.map((c) => c.command('where')));
    const shards = answers.map((a) => (a.data as { shard: number }).shard);
    expect(shards.filter((s) => s === 0)).toHaveLength(count / 2);
    expect(shards.filter((s) => s === 1)).toHaveLength(count / 2);
    // The directory on each shard lists everyone, whichever shard they are on.
    const crowd = (names: unknown) => (names as string[]).filter((n) => n.startsWith('crowd')).length;
    const fromAlpha = await clients[0]!.command('who');
    const fromBeta = await clients[1]!.command('who');
    expect(crowd((fromAlpha.data as { players: string[] }).players)).toBe(count);
    expect(crowd((fromBeta.data as { players: string[] }).players)).toBe(count);
    for (const c of clients) c.close();
    await Promise.all(clients.map((c) => c.closed()));
  });

  it('hands a player off to another shard without the client noticing, and loses no command', async () => {
    const client = await TestClient.login(port, 'traveller');
    expect((await client.command('inc')).data).toEqual({ counter: 1 });
    // The move and a burst of commands right behind it: some reach the old shard after the
    // handoff and must be forwarded, not lost.
    const order: unknown[] = [];
    client.ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { re?: unknown };
      if (typeof m.re === 'number') order.push(m.re);
    });
    client.send({ type: 'cmd', line: 'go beta', id: 'move' });
    for (let i = 0; i < 20; i++) client.send({ type: 'cmd', line: `echo ${i}`, id: i });
    expect(await client.next((m) => m.re === 'move')).toMatchObject({ ok: true, data: { from: 0 } });
    const echoes = await Promise.all(Array.from({ length: 20 }, (_, i) => client.next((m) => m.re === i)));
    expect(echoes.every((m) => m.type === 'reply' && m.ok === true)).toBe(true);
    // In the order the client sent them, although some ran on the old shard and some on the new.
    expect(order.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect((await client.command('where')).data).toEqual({ shard: 1, zone: 'beta' });
    // The state came along.
    expect((await client.command('inc')).data).toEqual({ counter: 2 });
    // And back, with commands streaming before, during and after the switch of route (some run
    // on the old shard, some are forwarded, some reach the new shard directly): still in order.
    order.length = 0;
    client.send({ type: 'cmd', line: 'go alpha', id: 'back' });
    for (let i = 100; i < 160; i++) {
      client.send({ type: 'cmd', line: `echo ${i}`, id: i });
      await new Promise((resolve) => setTimeout(resolve, 4));
    }
    await client.next((m) => m.re === 159);
    expect(order).toEqual(Array.from({ length: 60 }, (_, i) => 100 + i));
    expect((await client.command('where')).data).toEqual({ shard: 0, zone: 'alpha' });
    expect((await client.command('inc')).data).toEqual({ counter: 3 });
    client.close();
  });

  it('delivers tells and shouts across shards and gateways', async () => {
    const ann = await TestClient.login(port, 'ann');
    const bob = await TestClient.login(port, 'bob');
    await bob.command('go beta');
    // Wait until ann's shard has bob in its directory (replicated once per tick).
    for (let i = 0; i < 100; i++) {
      const who = await ann.command('who');
      if ((who.data as { players: string[] }).players.includes('bob')) break;
    }
    expect(await ann.command('tell bob hello from alpha')).toMatchObject({ ok: true });
    expect(await bob.next((m) => m.type === 'chat' && m.channel === 'tell')).toMatchObject({
      from: 'ann',
      text: 'hello from alpha',
    });
    expect(await bob.command('shout anyone?')).toMatchObject({ ok: true });
    expect(await ann.next((m) => m.type === 'chat' && m.channel === 'shout')).toMatchObject({
      from: 'bob',
      text: 'anyone?',
    });
    expect(bob.messages.some((m) => m.type === 'chat' && m.channel === 'shout')).toBe(false);
    ann.close();
    bob.close();
  });

  it('runs jobs on the pool off the tick and delivers their results in a later tick', async () => {
    const client = await TestClient.login(port, 'jobber');
    expect(await client.command('square 12')).toMatchObject({ ok: true, text: 'started' });
    expect(await client.next((m) => m.type === 'text' && m.channel === 'job', 30_000)).toMatchObject({
      text: 'squared: 144',
    });
    const text = await server.metrics();
    expect(text).toMatch(/leviathan_job_run_seconds_count\{[^}]*\} 1/);
    client.close();
  });

  it('keeps state for a player who logs out and back in', async () => {
    const first = await TestClient.login(port, 'returning');
    await first.command('go beta');
    await first.command('inc');
    first.close();
    await first.closed();
    const again = await TestClient.login(port, 'returning');
    expect((await again.command('where')).data).toEqual({ shard: 1, zone: 'beta' });
    expect((await again.command('inc')).data).toEqual({ counter: 2 });
    again.close();
  });
});
