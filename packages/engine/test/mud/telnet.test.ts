import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeviathanServer } from '../../src/server/create-server.js';
import { createTelnetServer, type TelnetServer } from '../../src/telnet/index.js';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';
import { TcpClient } from './helpers/tcp-client.js';

const IAC = 0xff;
const WILL = 0xfb;
const WONT = 0xfc;
const DO = 0xfd;
const ECHO = 1;
const TTYPE = 24;

let server: LeviathanServer;
let telnet: TelnetServer;
let url: string;
const cleanup: Array<() => void> = [];

beforeAll(async () => {
  ({ server, url } = await startMud());
  telnet = createTelnetServer({
    port: 0,
    gatewayUrl: url,
    secretAs: 'token',
    defaultToken: 'test-token',
    banner: 'Welcome to the Drowned Coast.',
  });
  await telnet.listen();
});
afterAll(async () => {
  for (const c of cleanup) c();
  await telnet?.close();
  await server?.close();
});

describe('the telnet port', () => {
  it('plays a line-mode session: negotiation refused, hidden password, the same world and commands', async () => {
    const hal = await MudClient.login(url, 'hal');
    cleanup.push(() => hal.close());
    const t = new TcpClient(telnet.port);
    cleanup.push(() => t.socket.destroy());
    // A telnet client opens with negotiation: the server refuses the terminal type and greets.
    t.socket.write(Uint8Array.from([IAC, DO, TTYPE]));
    await t.waitFor('By what name are you known?');
    expect(t.bytes.includes(Buffer.from([IAC, WONT, TTYPE]))).toBe(true);
    t.line('gus');
    await t.waitFor('Password (or Enter for a development login): ');
    // The server takes over echo so the password is not shown, then gives it back.
    expect(t.bytes.includes(Buffer.from([IAC, WILL, ECHO]))).toBe(true);
    t.line('');
    await t.waitFor('Fishmarket Square');
    expect(t.bytes.includes(Buffer.from([IAC, WONT, ECHO]))).toBe(true);
    await hal.text('gus has entered the world.');

    // Plain text only: no JSON reaches a line-mode client, lines end with CR LF and are wrapped.
    const room = await t.waitFor('Exits:');
    expect(room).not.toContain('{"type"');
    expect(room).toContain('\r\n');
    expect(Math.max(...room.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(78);

    t.line('say hello from a terminal');
    await t.waitFor("You say, 'hello from a terminal'");
    expect(await hal.next((m) => m.type === 'chat')).toMatchObject({
      from: 'gus',
      text: 'hello from a terminal',
    });
    await hal.cmd('say welcome, telnet');
    await t.waitFor("hal says, 'welcome, telnet'");
    t.line('lokk');
    await t.waitFor('Did you mean "look"?');
    t.line('who');
    await t.waitFor('2 players walk The Drowned Coast');

    t.line('quit');
    await t.waitFor('[goodbye]');
    await t.closed;
    await hal.text('gus has left the world.');
  });

  it('offers another try after a failed login', async () => {
    const t = new TcpClient(telnet.port);
    cleanup.push(() => t.socket.destroy());
    t.line('');
    await t.waitFor('By what name are you known?');
    t.line('9lives');
    await t.waitFor('Names start with a letter');
    t.line('ivy');
    await t.waitFor('Password');
    t.line('wrong-token');
    await t.waitFor('bad token');
    await t.waitFor('By what name are you known?');
    t.line('ivy');
    await t.waitFor('Password');
    t.line('test-token');
    await t.waitFor('Fishmarket Square');
    t.line('quit');
    await t.closed;
  });

  it('speaks JSON lines to a bot whose first line is JSON, on the same port', async () => {
    const t = new TcpClient(telnet.port);
    cleanup.push(() => t.socket.destroy());
    t.line(JSON.stringify({ type: 'auth', username: 'bot1', token: 'test-token', capabilities: ['events'] }));
    await t.waitFor('"type":"auth-ok"');
    t.line(JSON.stringify({ type: 'cmd', line: 'look', id: 7 }));
    await t.waitFor('"re":7');
    const lines = t.text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; re?: number; text?: string; id?: string });
    expect(t.text).not.toContain('By what name');
    expect(lines.find((m) => m.type === 'room')).toMatchObject({ id: 'harbor:square' });
    expect(lines.find((m) => m.type === 'reply' && m.re === 7)?.text).toContain('Fishmarket Square');
    // Bad input gets the gateway's own error, and the session goes on.
    t.line('{"type":"cmd"}');
    await t.waitFor('LEV_ERR_PROTOCOL_MISSING_FIELD');
    t.line(JSON.stringify({ type: 'quit' }));
    await t.waitFor('"type":"bye"');
    await t.closed;
  });
});
