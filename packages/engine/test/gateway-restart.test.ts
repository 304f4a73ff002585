import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LeviathanServer } from '../src/index.js';
import { enter, heard, resumeWith, sessionOf } from './helpers/sessions.js';
import { startServer } from './helpers/start-server.js';
import type { TestClient } from './helpers/test-client.js';

// Real threads (two gateways, two shards) on a shared 2-core machine: every wait is event-driven,
// and this bound only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

const PRESENCE_GAME = fileURLToPath(new URL('./fixtures/presence-game.ts', import.meta.url));

let server: LeviathanServer;
let port: number;
const clients: TestClient[] = [];

beforeAll(async () => {
  ({ server, port } = await startServer({
    gatewayThreads: 2,
    game: PRESENCE_GAME,
    sessions: { graceMs: 60_000 },
    commandRate: { perSecond: 1000, burst: 1000 },
  }));
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

function once(event: 'gateway-restart' | 'gateway-down', gateway: number): Promise<void> {
  return new Promise((resolve) => {
    const listener = (g: unknown) => {
      if (g !== gateway) return;
      server.events.off(event, listener);
      resolve();
    };
    server.events.on(event, listener);
  });
}

interface Player {
  readonly name: string;
  client: TestClient;
  token: string;
  gateway: number;
  conn: number;
}

async function login(name: string): Promise<Player> {
  const { client, answer } = await enter(port, name);
  if (answer.type !== 'auth-ok') throw new Error(`login failed: ${JSON.stringify(answer)}`);
  clients.push(client);
  return { name, client, token: String(answer.resume), ...sessionOf(answer) };
}

/** Logs players in until `each` of them are on every gateway (the kernel picks the gateway). */
async function spread(prefix: string, each: number): Promise<Player[][]> {
  const by: Player[][] = [[], []];
  for (let i = 0; by.some((g) => g.length < each); i++) {
    if (i > 60) throw new Error('the kernel never balanced connections onto both gateways');
    const p = await login(`${prefix}${i}`);
    if (by[p.gateway]!.length < each) by[p.gateway]!.push(p);
    else p.client.send({ type: 'quit' });
  }
  return by;
}

describe('a gateway thread that crashes', () => {
  it('is restarted on the same port; its players resume where they were, others never notice', async () => {
    const [g0, g1] = await spread('crash', 3);
    const victims = g0!;
    const others = g1!;
    for (const p of [...victims, ...others]) {
      expect((await p.client.command('inc')).data).toEqual({ counter: 1 });
      expect((await p.client.command('inc')).data).toEqual({ counter: 2 });
    }
    // One victim lives on the other shard, so a resume reaches both.
    await victims[0]!.client.command('go beta');
    const witness = others[0]!;
    // From here on, what the witness hears is about the crash.
    witness.client.messages.length = 0;

    const restarted = once('gateway-restart', 0);
    await server.killGateway(0);
    // Its clients saw their connections drop (no close frame: as a crash looks from outside).
    for (const v of victims) expect(await v.client.closed()).toBe(1006);
    // The other gateway keeps serving while gateway 0 restarts.
    for (const p of others) expect(await p.client.command('echo still here')).toMatchObject({ ok: true });
    await restarted;

    // New players land on the restarted thread, with connection ids above the old thread's: the
    // shards still hold the old players under the old ids.
    let fresh: Player | undefined;
    for (let i = 0; fresh === undefined; i++) {
      if (i > 40) throw new Error('no new connection landed on the restarted gateway');
      const p = await login(`fresh${i}`);
      if (p.gateway === 0) fresh = p;
      else p.client.send({ type: 'quit' });
    }
    expect(fresh.conn).toBeGreaterThan(Math.max(...victims.map((v) => v.conn)));
    expect((await fresh.client.command('me')).data).toEqual({ username: fresh.name, gateway: 0 });
    expect((await fresh.client.command('inc')).data).toEqual({ counter: 1 });

    // Each victim comes back with its token (on either gateway: the kernel picks), where it was,
    // with its state, told that messages may have been lost, and greeted by the game's resume.
    for (const v of victims) {
      const back = await resumeWith(port, v.name, v.token);
      clients.push(back.client);
      expect(back.answer.resume).toEqual(expect.any(String));
      expect(back.answer.resume).not.toBe(v.token);
      await back.client.next((m) => m.type === 'text' && m.text === 'welcome back');
      expect(heard(back.client, 'some messages may have been lost')).toBe(true);
      expect((await back.client.command('inc')).data).toEqual({ counter: 3 });
      const me = await back.client.command('me');
      expect(me.data).toMatchObject({ username: v.name });
      expect((await back.client.command('where')).data).toMatchObject({
        zone: v === victims[0] ? 'beta' : 'alpha',
      });
    }
    // Nobody saw them leave or enter again: the shards kept them all along.
    for (const v of victims) {
      expect(heard(witness.client, `${v.name} left`)).toBe(false);
      expect(heard(witness.client, `${v.name} entered`)).toBe(false);
    }
    for (const p of others) expect(p.client.closeCode).toBeUndefined();
    const who = (await witness.client.command('who')).data as { players: string[] };
    for (const v of victims) expect(who.players.filter((n) => n === v.name)).toHaveLength(1);
    for (const p of [...victims, ...others]) p.client.close();
    fresh.client.close();
  });

  it('moves a character resumed on another gateway thread, with what it missed', async () => {
    const teller = await login('teller');
    const roamer = await login('roamer');
    expect((await roamer.client.command('inc')).data).toEqual({ counter: 1 });
    let token = roamer.token;
    let on = roamer.gateway;
    let crossed = 0;
    let stayed = 0;
    // The kernel picks the gateway of each new connection: reconnect until resumes both stayed on
    // the same thread and moved to the other one.
    for (let i = 0; crossed === 0 || stayed === 0; i++) {
      if (i > 30) throw new Error('no resume crossed gateway threads');
      const last = roamer.client;
      last.ws.terminate();
      await last.closed();
      // Sent while the roamer is away: kept by the gateway that holds it.
      expect(await teller.client.command(`tell roamer missed-${i}`)).toMatchObject({ ok: true });
      const back = await resumeWith(port, 'roamer', token);
      clients.push(back.client);
      roamer.client = back.client;
      token = String(back.answer.resume);
      const told = await back.client.next((m) => m.type === 'chat' && m.text === `missed-${i}`);
      const welcome = await back.client.next((m) => m.type === 'text' && m.text === 'welcome back');
      expect(told).toBeDefined();
      expect(welcome).toBeDefined();
      const me = (await back.client.command('me')).data as { gateway: number };
      if (me.gateway === on) stayed++;
      else crossed++;
      on = me.gateway;
      expect((await back.client.command('inc')).data).toEqual({ counter: i + 2 });
    }
    expect(heard(teller.client, 'roamer left')).toBe(false);
    // A resume over a connection the server still thinks open: the old one is told.
    const second = await resumeWith(port, 'roamer', token);
    clients.push(second.client);
    expect(await roamer.client.next((m) => m.type === 'bye')).toMatchObject({ code: 4006 });
    expect((await second.client.command('me')).data).toMatchObject({ username: 'roamer' });
    second.client.close();
    teller.client.close();
  });
});

describe('a crashed gateway with a short grace period', () => {
  it('lets its players leave once the grace period ends', async () => {
    const { server: short, port: shortPort } = await startServer({
      gatewayThreads: 2,
      game: PRESENCE_GAME,
      sessions: { graceMs: 1_500 },
    });
    const own: TestClient[] = [];
    try {
      const by: Array<{ name: string; client: TestClient }[]> = [[], []];
      for (let i = 0; by[0]!.length === 0 || by[1]!.length === 0; i++) {
        if (i > 40) throw new Error('the kernel never balanced connections onto both gateways');
        const { client, answer } = await enter(shortPort, `brief${i}`);
        own.push(client);
        by[sessionOf(answer).gateway]!.push({ name: `brief${i}`, client });
      }
      const victim = by[1]![0]!;
      const witness = by[0]![0]!;
      const restarted = new Promise<void>((resolve) => short.events.once('gateway-restart', () => resolve()));
      await short.killGateway(1);
      await restarted;
      await witness.client.next((m) => m.type === 'text' && m.text === `${victim.name} left (logout)`);
      // The name is free again: a fresh login, not a resume.
      const again = await enter(shortPort, victim.name);
      own.push(again.client);
      expect(again.answer.type).toBe('auth-ok');
      await witness.client.next((m) => m.type === 'text' && m.text === `${victim.name} entered (login)`);
    } finally {
      for (const c of own) c.close();
      await short.close();
    }
  });
});
