import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud, WORLD_DIR } from './helpers/mud-server.js';

// Real servers, threads and browsers on a shared 2-core machine: every wait is event-driven,
// and this bound only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

// Sessions as MUD players expect, over the real server. The idle limits are short here (2 s to the
// warning, 6 s to the logout) so the idle test waits seconds, not minutes; it waits on events.
let server: LeviathanServer;
let url: string;
const clients: MudClient[] = [];

beforeAll(async () => {
  ({ server, url } = await startMud({ gameOptions: { world: WORLD_DIR, idleWarnSec: 2, idleLogoutSec: 6 } }));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.closeAndWait()));
  await server?.close();
});

async function login(name: string): Promise<MudClient> {
  const c = await MudClient.login(url, name);
  clients.push(c);
  return c;
}

describe('MUD sessions', () => {
  it('never duplicates a character: a second login takes it over, or is refused', async () => {
    const kim = await login('kim');
    await kim.walk('e');
    expect((await kim.cmd('get herring')).text).toBe('You take a smoked herring.');
    const second = await MudClient.login(url, 'kim').catch((e: unknown) => e as Error);
    if (second instanceof MudClient) {
      // Takeover: the first connection is told and closed; the second has the same character.
      clients.push(second);
      expect(await kim.next((m) => m.type === 'bye')).toMatchObject({ code: 4006 });
      await kim.closed;
      expect(second.received.find((m) => m.type === 'room')).toMatchObject({ id: 'harbor:fishmarket' });
      expect((await second.cmd('i')).text).toContain('a smoked herring');
      const who = (await second.cmd('who')).text as string;
      expect(who.match(/\bkim\b/g)).toHaveLength(1);
    } else {
      // Refused: the first keeps playing, alone.
      expect(second.message).toMatch(/login of kim failed/);
      const who = (await kim.cmd('who')).text as string;
      expect(who.match(/\bkim\b/g)).toHaveLength(1);
    }
  });

  it('brings a dropped character back where it was, with what it carried', async () => {
    const lee = await login('lee');
    await lee.walk('w');
    expect((await lee.cmd('get ale')).text).toBe('You take a mug of brown ale.');
    await lee.walk('u');
    lee.close();
    await lee.closed;
    // The name is released once the shard has the final state; the next login takes it back.
    let again: MudClient | undefined;
    for (let attempt = 0; attempt < 20 && again === undefined; attempt++) {
      again = await MudClient.login(url, 'lee').catch(() => undefined);
      if (again === undefined) await new Promise((r) => setTimeout(r, 250));
    }
    expect(again).toBeDefined();
    clients.push(again!);
    expect(again!.received.find((m) => m.type === 'room')).toMatchObject({ id: 'harbor:inn-loft' });
    expect((await again!.cmd('i')).text).toContain('a mug of brown ale');
  });

  it('warns an idle player, then logs them out', async () => {
    const max = await login('max');
    await max.text('You have been idle for a while: you will be logged out in');
    await max.text('You have been idle too long');
    const bye = await max.next((m) => m.type === 'bye');
    expect(bye.reason).toBe('idle');
    // Idle, not kicked: CloseCode.Idle (4005) in the bye and on the socket.
    expect(bye.code).toBe(4005);
    expect((await max.closed).code).toBe(4005);
  });

  it('counts any command as activity', async () => {
    const ned = await login('ned');
    const warned = ned.text('You have been idle for a while');
    await warned;
    await ned.cmd('look');
    // After the command the warning comes again (a fresh idle period), not the logout.
    const next = await ned.next((m) => m.type === 'text' && /idle/.test(m.text), 'an idle notice');
    expect(next.text).toContain('You have been idle for a while');
  });
});
