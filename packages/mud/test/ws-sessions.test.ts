import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

// Real servers and threads on a shared 2-core machine: every wait is event-driven, and this bound
// only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

const clients: MudClient[] = [];
const servers: LeviathanServer[] = [];

async function mud(sessions: Record<string, unknown>): Promise<string> {
  const { server, url } = await startMud({ sessions });
  servers.push(server);
  return url;
}
async function login(url: string, name: string, extra: Record<string, unknown> = {}): Promise<MudClient> {
  const c = await MudClient.login(url, name, extra);
  clients.push(c);
  return c;
}
function countWho(text: unknown, name: string): number {
  return (String(text).match(new RegExp(`\\b${name}\\b`, 'g')) ?? []).length;
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.closeAndWait()));
  await Promise.all(servers.map((s) => s.close()));
});

// WebSocket sessions (the gateway's): a dropped character stays in the world for the grace
// period, and the resume token of its auth-ok takes it back with what it missed.
describe('WebSocket sessions', () => {
  let url: string;
  beforeAll(async () => {
    url = await mud({ graceMs: 60_000 });
  });

  it('keeps a dropped character in the world and resumes it with what it missed', async () => {
    const ada = await login(url, 'ada');
    const bob = await login(url, 'bob');
    const token = ada.resumeToken;
    expect(token).toMatch(/^[\w-]{20,}$/);
    ada.drop();
    await ada.closed;
    // Still in the world: listed by who, hearing what is said, and nobody saw it leave.
    await vi.waitFor(async () => expect(countWho((await bob.cmd('who')).text, 'ada')).toBe(1));
    await bob.cmd('say are you still there?');
    const back = await login(url, 'ada', { resume: token });
    expect(back.resumeToken).toBeDefined();
    expect(back.resumeToken).not.toBe(token);
    // The replay comes before the room the game shows again (EnterReason 'resume').
    const said = back.received.findIndex((m) => m.type === 'text' && /are you still there/.test(m.text));
    const room = back.received.findIndex((m) => m.type === 'room');
    expect(said).toBeGreaterThan(0);
    expect(room).toBeGreaterThan(said);
    expect(back.received[room]).toMatchObject({ id: 'harbor:square' });
    expect(
      bob.received.some((m) => m.type === 'text' && /ada has (left|entered) the world/.test(m.text)),
    ).toBe(false);
    expect((await back.cmd('say I am back')).ok).toBe(true);
    await bob.text('ada says');
    expect(countWho((await back.cmd('who')).text, 'ada')).toBe(1);
  });

  it('turns a stale token into an ordinary login that takes the held character over', async () => {
    const cal = await login(url, 'cal');
    await cal.walk('e');
    cal.drop();
    await cal.closed;
    const again = await login(url, 'cal', { resume: 'not-the-token-at-all-xx' });
    expect(again.received.find((m) => m.type === 'room')).toMatchObject({ id: 'harbor:fishmarket' });
    expect(countWho((await again.cmd('who')).text, 'cal')).toBe(1);
  });

  it('resumes over a connection the server still thinks is open (the old one is told)', async () => {
    const dee = await login(url, 'dee');
    const back = await login(url, 'dee', { resume: dee.resumeToken });
    expect(await dee.next((m) => m.type === 'bye')).toMatchObject({ code: 4006 });
    expect((await dee.closed).code).toBe(4006);
    expect(countWho((await back.cmd('who')).text, 'dee')).toBe(1);
  });

  it('does not keep a character that quit', async () => {
    const ivy = await login(url, 'ivy');
    const eve = await login(url, 'eve');
    const token = eve.resumeToken;
    eve.send({ type: 'quit' });
    await eve.closed;
    await ivy.text('eve has left the world');
    // The token died with the session: this is a fresh login, a new arrival.
    const again = await login(url, 'eve', { resume: token });
    await ivy.text('eve has entered the world');
    expect(countWho((await again.cmd('who')).text, 'eve')).toBe(1);
  });
});

describe('WebSocket sessions: the grace period and refusal', () => {
  it('logs a dropped character out when the grace period ends', async () => {
    const url = await mud({ graceMs: 1_500 });
    const fay = await login(url, 'fay');
    const gus = await login(url, 'gus');
    fay.drop();
    await fay.closed;
    await gus.text('fay has left the world');
    expect(countWho((await gus.cmd('who')).text, 'fay')).toBe(0);
    // The token died with the session.
    const again = await login(url, 'fay', { resume: fay.resumeToken });
    expect(again.received.some((m) => m.type === 'text' && /are you still there/.test(m.text))).toBe(false);
  });

  it('refuses a second login by configuration, and the first keeps playing', async () => {
    const url = await mud({ duplicateLogin: 'refuse' });
    const hal = await login(url, 'hal');
    const second = await MudClient.login(url, 'hal').catch((e: unknown) => e as Error);
    expect(second).toBeInstanceOf(Error);
    expect((second as Error).message).toMatch(/already playing/);
    expect(countWho((await hal.cmd('who')).text, 'hal')).toBe(1);
    // The resume token still takes it (it is the same player, not a second one).
    hal.drop();
    await hal.closed;
    const back = await login(url, 'hal', { resume: hal.resumeToken });
    expect(countWho((await back.cmd('who')).text, 'hal')).toBe(1);
  });
});
