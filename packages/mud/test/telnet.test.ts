import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stripAnsi } from '../src/telnet/ansi.js';
import { createTelnetServer, type TelnetServer } from '../src/telnet/index.js';
import { MudClient } from './helpers/mud-client.js';
import { startMud, WORLD_DIR } from './helpers/mud-server.js';
import { TcpClient } from './helpers/tcp-client.js';

// Real servers, threads and browsers on a shared 2-core machine: every wait is event-driven,
// and this bound only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

const IAC = 0xff;
const WILL = 0xfb;
const WONT = 0xfc;
const DO = 0xfd;
const ECHO = 1;
const TTYPE = 24;

let server: LeviathanServer;
let telnet: TelnetServer;
let url: string;
const cleanup: Array<() => unknown> = [];

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
  await Promise.all(cleanup.map((c) => c()));
  await telnet?.close();
  await server?.close();
});

describe('the telnet port', () => {
  it('plays a line-mode session: negotiation refused, hidden password, the same world and commands', async () => {
    const hal = await MudClient.login(url, 'hal');
    cleanup.push(() => hal.closeAndWait());
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
    // The client agrees (as every telnet client does), so the server can give echo back after.
    t.socket.write(Uint8Array.from([IAC, DO, ECHO]));
    t.line('');
    await t.waitFor('Fishmarket Square');
    expect(t.bytes.includes(Buffer.from([IAC, WONT, ECHO]))).toBe(true);
    await hal.text('gus has entered the world.');

    // Plain text only: no JSON reaches a line-mode client, lines end with CR LF and are wrapped.
    const room = await t.waitFor('Exits:');
    expect(room).not.toContain('{"type"');
    expect(room).toContain('\r\n');
    expect(Math.max(...room.split('\r\n').map((l) => stripAnsi(l).length))).toBeLessThanOrEqual(78);

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

  it('survives bad input: over-long lines, invalid UTF-8, junk JSON, and goes on serving', async () => {
    const t = new TcpClient(telnet.port);
    cleanup.push(() => t.socket.destroy());
    t.line('');
    await t.waitFor('By what name are you known?');
    t.line('oz');
    await t.waitFor('Password');
    t.line('');
    await t.waitFor('Fishmarket Square');
    t.line('x'.repeat(20_000));
    await t.waitFor('That line is too long (16384 bytes at most).');
    t.socket.write(Uint8Array.from([0xc3, 0x28, 0x0d, 0x0a]));
    await t.waitFor('That line is not valid UTF-8 text; it was ignored.');
    t.line('look');
    await t.waitFor('Exits:');

    const bot = new TcpClient(telnet.port);
    cleanup.push(() => bot.socket.destroy());
    bot.line(JSON.stringify({ type: 'auth', username: 'bot2', token: 'test-token' }));
    await bot.waitFor('"auth-ok"');
    bot.line('{not json');
    await bot.waitFor('LEV_ERR_PROTOCOL_INVALID_JSON');
    bot.line(`{"type":"cmd","line":"${'y'.repeat(20_000)}"}`);
    await bot.waitFor('LEV_ERR_PROTOCOL_LINE_TOO_LARGE');
    bot.line(JSON.stringify({ type: 'cmd', line: 'who', id: 'w' }));
    await bot.waitFor('"re":"w"');
    expect(bot.text).toContain('oz');
    // The line-mode player saw none of that.
    t.line('say still here');
    await t.waitFor("You say, 'still here'");
    expect(t.text).not.toContain('LEV_ERR_PROTOCOL');
  });

  it('limits connections per remote address', async () => {
    const small = createTelnetServer({ port: 0, gatewayUrl: url, maxConnectionsPerAddress: 2 });
    await small.listen();
    try {
      const a = new TcpClient(small.port);
      const b = new TcpClient(small.port);
      a.line('');
      b.line('');
      await a.waitFor('By what name');
      await b.waitFor('By what name');
      const c = new TcpClient(small.port);
      await c.waitFor('Too many connections from your address (2 at most).');
      await c.closed;
      // A slot frees when a client leaves.
      a.socket.destroy();
      await a.closed;
      await new Promise<void>((resolve) => {
        const check = () => (small.connections < 2 ? resolve() : setTimeout(check, 20));
        check();
      });
      const d = new TcpClient(small.port);
      d.line('');
      await d.waitFor('By what name');
      for (const x of [b, d]) x.socket.destroy();
    } finally {
      await small.close();
    }
  });

  it('keeps a dropped character in the world for the grace period, and gives it back with what it missed', async () => {
    const una = await MudClient.login(url, 'una');
    cleanup.push(() => una.closeAndWait());
    const t = new TcpClient(telnet.port);
    t.line('');
    await t.waitFor('By what name are you known?');
    t.line('vic');
    await t.waitFor('Password');
    t.line('');
    await t.waitFor('Fishmarket Square');
    await una.text('vic has entered the world.');

    // The line drops without quit: vic stays, listed by who, and hears what is said meanwhile.
    t.socket.destroy();
    await t.closed;
    await una.cmd('say are you still there, vic?');
    expect((await una.cmd('who')).text).toMatch(/\bvic\b/);

    const back = new TcpClient(telnet.port);
    cleanup.push(() => back.socket.destroy());
    back.line('');
    await back.waitFor('By what name are you known?');
    // A wrong secret first: refused, and vic still waits for a login that gets it right.
    back.line('vic');
    await back.waitFor('Password');
    back.line('not-the-token');
    await back.waitFor('By what name are you known?');
    back.line('vic');
    await back.waitFor('Password');
    back.line('');
    // The gateway's own session resume: what vic missed, then the room.
    await back.waitFor('You take your character back.');
    await back.waitFor("una says, 'are you still there, vic?'");
    await back.waitFor('Fishmarket Square');
    back.line('say I am back');
    await una.text("vic says, 'I am back'");
    // Nobody saw vic leave or enter again.
    expect(
      una.received.some(
        (m) => m.type === 'text' && /vic has (left|entered) the world/.test(m.text) && m !== undefined,
      ),
    ).toBe(true);
    expect(una.received.filter((m) => m.type === 'text' && /vic has left the world/.test(m.text))).toEqual(
      [],
    );
    back.line('quit');
    await back.closed;
    await una.text('vic has left the world.');
  });

  it("logs a dropped character out when the server's grace period ends", async () => {
    // The grace period is the server's (sessions.graceMs), as for a dropped WebSocket client.
    const { server: brief } = await startMud({
      shards: 1,
      zoneShards: {},
      sessions: { graceMs: 300 },
      gameOptions: { world: WORLD_DIR, telnetPort: 0 },
    });
    try {
      const port = brief.services.get('telnet')!.port!;
      const briefUrl = `ws://127.0.0.1:${brief.port}/ws`;
      const wes = await MudClient.login(briefUrl, 'wes');
      const t = new TcpClient(port);
      t.line('');
      await t.waitFor('By what name are you known?');
      t.line('xan');
      await t.waitFor('Password');
      t.line('test-token'); // the test verifier's token (the server's auth mode is custom)
      await t.waitFor('Fishmarket Square');
      t.socket.destroy();
      await wes.text('xan has left the world.');
      await wes.closeAndWait();
    } finally {
      await brief.close();
    }
  });
});
