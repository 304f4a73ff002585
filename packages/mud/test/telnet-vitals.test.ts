import { once } from 'node:events';
import { type AddressInfo, createServer, type Server } from 'node:net';
import type { VitalsMessage } from '@leviathan/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientView } from '../src/telnet/client-view.js';
import { IAC } from '../src/telnet/telnet-codec.js';
import { TelnetLink } from '../src/telnet/telnet-link.js';
import { DO, TelnetOption } from '../src/telnet/telnet-options.js';
import { TelnetTestClient } from './helpers/telnet-client.js';

vi.setConfig({ testTimeout: 60_000 });

// What a MUD client's panels get from the game's `vitals`, over a real socket: the telnet layer
// (TelnetLink) and the view that turns game messages into GMCP, fed as the bridge feeds them.
let server: Server;
let views: Promise<ClientView>;

beforeAll(async () => {
  let made: (view: ClientView) => void;
  views = new Promise((resolve) => {
    made = resolve;
  });
  server = createServer((socket) => {
    const link = new TelnetLink(socket, { wrap: 78, mssp: () => ({}) });
    socket.on('data', (chunk) => link.decoder.push(chunk));
    link.offer();
    made(new ClientView(link));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});
afterAll(async () => {
  server?.close();
});

/** A `vitals` message as the bridge hands it to the view: a parsed JSON object. */
const vitals = (changes: Partial<VitalsMessage> = {}): VitalsMessage & Record<string, unknown> => ({
  type: 'vitals',
  health: 30,
  maxHealth: 30,
  energy: 20,
  maxEnergy: 20,
  level: 1,
  xp: 0,
  toNextLevel: 100,
  ...changes,
});

describe('GMCP vitals', () => {
  it('sends Char.Vitals on each change, Char.Status when the level or experience changed', async () => {
    const c = new TelnetTestClient((server.address() as AddressInfo).port);
    const view = await views;
    const gmcp = (from: number) =>
      c.gmcpMessages.slice(from).map((m) => `${m.message} ${JSON.stringify(m.data)}`);
    const after = (from: number, count: number) =>
      c.until(() => (c.gmcpMessages.length >= from + count ? gmcp(from) : undefined), `${count} GMCP`);

    // The vitals come before the client turns GMCP on: kept, and sent with the status when it does.
    expect(view.show(vitals())).toBeUndefined(); // no text: GMCP only
    view.loggedIn('ann');
    c.send([IAC, DO, TelnetOption.Gmcp]);
    expect(await after(0, 2)).toEqual([
      'Char.Status {"name":"ann","level":"1","xp":"0"}',
      'Char.Vitals {"hp":"30","maxhp":"30","mp":"20","maxmp":"20"}',
    ]);

    // Health and energy spent: Char.Vitals alone.
    view.show(vitals({ health: 12, energy: 3 }));
    expect(await after(2, 1)).toEqual(['Char.Vitals {"hp":"12","maxhp":"30","mp":"3","maxmp":"20"}']);

    // A malformed one (health past its maximum) is dropped whole; a level gained sends both.
    view.show({ ...vitals(), health: 99 });
    view.show(vitals({ level: 2, xp: 120, maxHealth: 37, health: 37, maxEnergy: 25, energy: 25 }));
    expect(await after(3, 2)).toEqual([
      'Char.Vitals {"hp":"37","maxhp":"37","mp":"25","maxmp":"25"}',
      'Char.Status {"name":"ann","level":"2","xp":"120"}',
    ]);
    c.socket.destroy();
  });
});
