import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

vi.setConfig({ testTimeout: 120_000 });

const EVENT_TYPES = new Set(['room', 'presence', 'chat', 'vitals', 'event']);
let server: LeviathanServer;
let url: string;
const clients: MudClient[] = [];

beforeAll(async () => {
  ({ server, url } = await startMud());
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.closeAndWait()));
  await server?.close();
});

// The gateway writes `room`, `presence`, `chat`, `vitals` and `event` messages only to connections that
// asked for the `events` capability; the text beside them reaches everyone.
describe('structured events', () => {
  it('sends a client with events its vitals when it comes in, before the room', async () => {
    const vera = await MudClient.login(url, 'vera');
    clients.push(vera);
    const vitals = await vera.next((m) => m.type === 'vitals');
    expect(vitals).toEqual({
      type: 'vitals',
      health: 30,
      maxHealth: 30,
      energy: 20,
      maxEnergy: 20,
      level: 1,
      xp: 0,
      toNextLevel: 100,
    });
    // Before the room, so a client fills its bars before it draws the place.
    const types = vera.received.map((m) => m.type);
    expect(types.indexOf('vitals')).toBeLessThan(types.indexOf('room'));
    expect(types.filter((t) => t === 'vitals')).toHaveLength(1);
  });

  it('sends a plain client the text of a say, arrival and room, never the events', async () => {
    const rich = await MudClient.login(url, 'rita');
    clients.push(rich);
    const plain = await MudClient.loginPlain(url, 'pete');
    clients.push(plain);
    await rich.text('pete has entered the world');
    await rich.next((m) => m.type === 'presence' && m.name === 'pete');
    await rich.cmd('say hello there');
    await plain.text("rita says, 'hello there'");
    await plain.cmd('say hi rita');
    await rich.next((m) => m.type === 'chat' && m.from === 'pete' && m.text === 'hi rita');
    expect((await plain.cmd('east')).ok).toBe(true);
    expect((await plain.cmd('look')).text).toContain('Fish Stalls');
    expect(plain.received.filter((m) => EVENT_TYPES.has(m.type))).toEqual([]);
    expect(plain.received.find((m) => m.type === 'auth-ok')?.capabilities).toEqual([]);
  });
});
