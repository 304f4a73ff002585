import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeviathanServer } from '../src/index.js';
import { startServer } from './helpers/start-server.js';
import { type ServerMsg, TestClient } from './helpers/test-client.js';

// ctx.tellShards and GameDefinition.onShardMessage over a real server: three shards, one zone
// each, and a player in each zone who is told every message its shard gets.
const GAME = fileURLToPath(new URL('./fixtures/shard-message-game.ts', import.meta.url));

let server: LeviathanServer;
let port: number;
const clients: TestClient[] = [];

beforeAll(async () => {
  ({ server, port } = await startServer({
    shards: 3,
    game: GAME,
    zoneShards: { alpha: 0, beta: 1, gamma: 2 },
    commandRate: { perSecond: 1000, burst: 1000 },
  }));
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

/**
 * A player starting in `zone` (the game reads it from the name), in it once this resolves: auth-ok
 * comes from the gateway before the shard's tick takes the player in, so it answers a command first.
 */
async function login(zone: string, name: string): Promise<TestClient> {
  const c = await TestClient.login(port, `${zone}-${name}`);
  clients.push(c);
  expect((await c.command('heard')).ok).toBe(true);
  return c;
}

interface Told {
  topic: string;
  data: unknown;
  from: number;
  on: number;
}

/** The next message a shard told this player it got. */
async function nextTold(c: TestClient): Promise<Told> {
  const m: ServerMsg = await c.next((x) => x.type === 'text' && x.channel === 'shard-message');
  return JSON.parse(m.text as string) as Told;
}

const heard = async (c: TestClient) =>
  ((await c.command('heard')).data as { heard: Array<{ topic: string; data: unknown; from: number }> }).heard;

describe('messages between shards', () => {
  it('reach every other shard at its next tick, in the order sent, and not the sender', async () => {
    const ann = await login('alpha', 'ann');
    const bo = await login('beta', 'bo');
    const cy = await login('gamma', 'cy');

    expect(await ann.command('tell news {"n":1,"who":["ann"]}')).toMatchObject({ ok: true, text: 'sent' });
    const expected = { topic: 'news', data: { n: 1, who: ['ann'] }, from: 0 };
    expect(await nextTold(bo)).toEqual({ ...expected, on: 1 });
    expect(await nextTold(cy)).toEqual({ ...expected, on: 2 });

    // Many in one tick, then more in the next ticks: each shard gets them all, in order.
    expect((await bo.command('tellmany 10 count')).data).toEqual({ sent: 10 });
    expect((await bo.command('tellmany 3 more')).data).toEqual({ sent: 3 });
    const order = [...Array.from({ length: 10 }, (_, i) => `count ${i}`), 'more 0', 'more 1', 'more 2'];
    for (const c of [ann, cy]) {
      const got: string[] = [];
      for (let i = 0; i < order.length; i++) {
        const told = await nextTold(c);
        expect(told.from).toBe(1);
        got.push(`${told.topic} ${String(told.data)}`);
      }
      expect(got).toEqual(order);
    }

    // The sender's shard never got its own: shard 0 heard only Bo's, shard 1 only Ann's.
    expect((await heard(ann)).map((h) => h.topic)).toEqual([...order.map((o) => o.split(' ')[0])]);
    expect(await heard(bo)).toEqual([expected]);
  });

  it('refuses what is not JSON, too big, too many or badly named, with a clear error, and sends none of it', async () => {
    const dag = await login('alpha', 'dag');
    const eve = await login('beta', 'eve');
    expect((await dag.command('tellbad undefined')).text).toBe(
      'TypeError: ctx.tellShards("news"): data.a is undefined; a message carries JSON values only',
    );
    expect((await dag.command('tellbad nan')).text).toBe(
      'TypeError: ctx.tellShards("news"): data[1] is NaN; a message carries JSON values only',
    );
    expect((await dag.command('tellbad date')).text).toBe(
      'TypeError: ctx.tellShards("news"): data.when is a Date, not a plain object; a message carries JSON values only',
    );
    expect((await dag.command('tellbad cycle')).text).toBe(
      'TypeError: ctx.tellShards("news"): data.self refers back to itself; a message carries JSON values only',
    );
    expect((await dag.command('tellbad big')).text).toBe(
      'RangeError: ctx.tellShards("news"): the data is 65538 bytes of JSON, over the 65536 allowed',
    );
    expect((await dag.command('tellbad topic')).text).toBe(
      'TypeError: ctx.tellShards: the topic must be a string of 1 to 100 characters',
    );
    // 100 per tick: the 101st throws, and the 100 before it still go.
    expect(await dag.command('tellmany 101 cap')).toMatchObject({
      text: 'RangeError: ctx.tellShards("cap"): this shard already sent 100 messages this tick, the most a tick may send',
      data: { sent: 100 },
    });
    for (let i = 0; i < 100; i++) expect(await nextTold(eve)).toMatchObject({ topic: 'cap', data: i });
    // The next thing Eve's shard gets is the next good message: nothing refused went out.
    expect(await dag.command('tell news "fine"')).toMatchObject({ text: 'sent' });
    expect(await nextTold(eve)).toMatchObject({ topic: 'news', data: 'fine', from: 0 });
  });

  it('a handler that throws is logged and skipped; the shard serves on and gets the next message', async () => {
    const fay = await login('alpha', 'fay');
    const gus = await login('gamma', 'gus');
    expect((await fay.command('tell boom {}')).text).toBe('sent');
    expect((await fay.command('tell after-boom 1')).text).toBe('sent');
    expect(await nextTold(gus)).toMatchObject({ topic: 'after-boom', data: 1, from: 0 });
    expect((await gus.command('heard')).ok).toBe(true);
  });

  it('a restarted shard starts with nothing it heard before, and hears what is sent after', async () => {
    const hal = await login('alpha', 'hal');
    const ivy = await login('beta', 'ivy');
    expect((await hal.command('tell before 1')).text).toBe('sent');
    expect(await nextTold(ivy)).toMatchObject({ topic: 'before' });
    const back = new Promise<void>((resolve) => {
      const onRestart = (s: unknown): void => {
        if (s !== 1) return;
        server.events.off('shard-restart', onRestart);
        resolve();
      };
      server.events.on('shard-restart', onRestart);
    });
    await server.killShard(1);
    await back;
    // Ivy is re-attached to the new shard 1 (an error answers while that is under way).
    let answer = await ivy.command('heard');
    for (let i = 0; answer.type === 'error' && i < 50; i++) answer = await ivy.command('heard');
    expect(answer).toMatchObject({ ok: true, data: { shard: 1, heard: [] } });
    expect((await hal.command('tell after 2')).text).toBe('sent');
    expect(await nextTold(ivy)).toMatchObject({ topic: 'after', data: 2, from: 0, on: 1 });
  });
});
