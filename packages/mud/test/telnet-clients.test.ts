import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Colour, stripAnsi } from '../src/telnet/ansi.js';
import { createTelnetServer, type TelnetServer } from '../src/telnet/index.js';
import { IAC, SB, SE } from '../src/telnet/telnet-codec.js';
import { DO, DONT, TelnetOption, WILL, WONT } from '../src/telnet/telnet-options.js';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';
import { TcpClient } from './helpers/tcp-client.js';
import { TelnetTestClient } from './helpers/telnet-client.js';

// Real servers and sockets on a shared 2-core machine: every wait is event-driven, and this bound
// only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

const { Mssp, Gmcp, Compress2, Naws, Echo } = TelnetOption;
const ESC = '\u001b[';

let server: LeviathanServer;
let url: string;
let telnet: TelnetServer;
const cleanup: Array<() => unknown> = [];

beforeAll(async () => {
  ({ server, url } = await startMud());
  telnet = createTelnetServer({
    port: 0,
    gatewayUrl: url,
    secretAs: 'token',
    defaultToken: 'test-token',
    banner: 'Welcome to the Drowned Coast.',
    mudName: 'The Drowned Coast',
    mssp: { CONTACT: 'admin@example.org' },
  });
  await telnet.listen();
});
afterAll(async () => {
  await Promise.all(cleanup.map((c) => c()));
  await telnet?.close();
  await server?.close();
});

/** A MUD client that connects, answers the server's offers as given, and logs in as `name`. */
async function login(name: string, answers: number[]) {
  const c = new TelnetTestClient(telnet.port);
  cleanup.push(() => c.socket.destroy());
  await c.waitFor('By what name are you known?');
  c.send(answers);
  c.line(name);
  await c.waitFor('Password');
  c.send([IAC, DO, Echo]);
  c.line('');
  await c.waitFor('Fishmarket Square');
  await c.waitFor('Exits:');
  return c;
}

/** The MSSP variables of an MSSP subnegotiation. */
function parseMssp(payload: Buffer): Record<string, string[]> {
  const vars: Record<string, string[]> = {};
  let name = '';
  for (const part of payload.toString('latin1').split(/(?=[\u0001\u0002])/)) {
    if (part[0] === '\u0001') {
      name = part.slice(1);
      vars[name] = [];
    } else if (part[0] === '\u0002') vars[name]!.push(part.slice(1));
  }
  return vars;
}

describe('MUD clients on the telnet port', () => {
  it('offers MSSP, GMCP, MCCP2 and NAWS once at the greeting, and settles refusals without a loop', async () => {
    const c = new TelnetTestClient(telnet.port);
    cleanup.push(() => c.socket.destroy());
    // A telnet client speaks first (as a MUD client may): the server answers and greets at once.
    c.send([IAC, DO, 24]);
    await c.waitFor('By what name are you known?');
    expect(c.negotiations).toEqual([
      [WONT, 24],
      [WILL, Mssp],
      [WILL, Gmcp],
      [WILL, Compress2],
      [DO, Naws],
    ]);
    // Refusing everything, twice over: no answer to any refusal (RFC 1143), so nothing loops.
    c.send([IAC, DONT, Mssp, IAC, DONT, Gmcp, IAC, DONT, Compress2, IAC, WONT, Naws]);
    c.send([IAC, DONT, Mssp, IAC, DONT, Gmcp, IAC, DONT, Compress2, IAC, WONT, Naws]);
    c.line('gus');
    await c.waitFor('Password');
    expect(c.negotiations.slice(5)).toEqual([
      [WILL, TelnetOption.SuppressGoAhead],
      [WILL, Echo],
    ]);
    // Echo is given back only once the client took it: the Q method keeps the request pending.
    c.send([IAC, DO, Echo, IAC, DO, TelnetOption.SuppressGoAhead]);
    c.line('');
    await c.waitFor('Exits:');
    expect(c.negotiations.slice(7)).toEqual([[WONT, Echo]]);
    expect(c.subnegotiations).toEqual([]);
    c.line('quit');
    await c.closed;
  });

  it('answers a MUD listing with MSSP: NAME, PLAYERS, UPTIME and its own variables', async () => {
    const c = new TelnetTestClient(telnet.port);
    cleanup.push(() => c.socket.destroy());
    await c.waitFor('By what name are you known?');
    c.send([IAC, DO, Mssp]);
    const sub = await c.until(() => c.subnegotiations.find((s) => s.option === Mssp), 'MSSP');
    const vars = parseMssp(sub.payload);
    expect(vars.NAME).toEqual(['The Drowned Coast']);
    expect(Number(vars.PLAYERS![0])).toBeGreaterThanOrEqual(0);
    const uptime = Number(vars.UPTIME![0]);
    expect(uptime).toBeGreaterThan(1_600_000_000);
    expect(uptime).toBeLessThanOrEqual(Date.now() / 1000);
    expect(vars.CONTACT).toEqual(['admin@example.org']);
    c.socket.destroy();
  });

  it('word-wraps to the width the client reports (NAWS), 78 columns without it', async () => {
    const narrow = await login('nara', [IAC, WILL, Naws, IAC, SB, Naws, 0, 40, 0, 24, IAC, SE]);
    narrow.line('look');
    const room = stripAnsi(await narrow.waitFor('Exits:'));
    const lines = room.split('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(38);
    // The window grows: the next text is wrapped to the new width.
    narrow.send([IAC, SB, Naws, 0, 120, 0, 40, IAC, SE]);
    narrow.line('look');
    const wide = stripAnsi(await narrow.waitFor('Exits:')).split('\n');
    expect(Math.max(...wide.map((l) => l.length))).toBeGreaterThan(78);
    expect(Math.max(...wide.map((l) => l.length))).toBeLessThanOrEqual(118);
    // A broken NAWS (wrong length) is dropped and play goes on.
    narrow.send([IAC, SB, Naws, 1, IAC, SE]);
    narrow.line('look');
    await narrow.waitFor('Exits:');
    narrow.line('quit');
    await narrow.closed;
  });

  it('colours a telnet client\'s text, and "colour off" / "colour on" toggle it', async () => {
    const c = await login('cora', [IAC, DONT, Compress2]);
    c.line('look');
    const room = await c.waitFor('Exits:');
    expect(room).toContain(`${Colour.roomTitle}Fishmarket Square`);
    expect(room).toContain(`${Colour.exits}Exits:`);
    c.line('colour off');
    await c.waitFor('Colour is off');
    c.line('look');
    const plain = await c.waitFor('Exits:');
    expect(plain).toContain('Fishmarket Square');
    expect(plain).not.toContain(ESC);
    c.line('color on');
    await c.waitFor('Colour is on');
    // Talk is coloured by channel: a say from another player.
    const hal = await MudClient.login(url, 'hal');
    cleanup.push(() => hal.closeAndWait());
    await hal.cmd("say it's bright");
    const said = await c.waitFor('bright');
    expect(said).toContain(`${Colour.say}hal says`);
    await hal.closeAndWait();
    c.line('quit');
    await c.closed;
  });

  it('sends GMCP: Char.Status at login, Room.Info with exits on each move, Comm.Channel.Text for talk', async () => {
    const c = await login('gemma', [IAC, DO, Gmcp]);
    // Core.Hello and Core.Supports.Set are taken; bad GMCP (not JSON, not UTF-8) is dropped.
    c.gmcp('Core.Hello', { client: 'test', version: '1' });
    c.gmcp('Core.Supports.Set', ['Room 1', 'Char 1', 'Comm 1', 'Core 1']);
    c.send([IAC, SB, Gmcp, ...Buffer.from('Not JSON {'), IAC, SE]);
    c.send([IAC, SB, Gmcp, 0xc3, 0x28, IAC, SE]);
    // 100 KB of subnegotiation: over the cap, read to its end and dropped; the connection lives on.
    c.send([IAC, SB, Gmcp, ...Buffer.from(`Core.Hello ${'x'.repeat(100_000)}`), IAC, SE]);
    expect(c.gmcpMessages.find((m) => m.message === 'Char.Status')?.data).toEqual({ name: 'gemma' });
    const first = await c.until(() => c.gmcpMessages.find((m) => m.message === 'Room.Info'), 'Room.Info');
    expect(first.data).toMatchObject({ id: 'harbor:square', name: 'Fishmarket Square', area: 'harbor' });
    const exits = (first.data as { exits: Record<string, number> }).exits;
    expect(Object.keys(exits).sort()).toEqual(['e', 'n', 's', 'w']);

    c.line('south');
    await c.waitFor('The Quay');
    const quay = await c.until(
      () =>
        c.gmcpMessages.find(
          (m) => m.message === 'Room.Info' && (m.data as { id: string }).id === 'harbor:quay',
        ),
      'Room.Info of the quay',
    );
    const q = quay.data as { num: number; exits: Record<string, number> };
    // The mapper links the two rooms: the square's south exit is the quay, the quay's north the square.
    expect(exits.s).toBe(q.num);
    expect(q.exits.n).toBe((first.data as { num: number }).num);

    const quinn = await MudClient.login(url, 'quinn');
    cleanup.push(() => quinn.closeAndWait());
    await quinn.cmd('south');
    await quinn.cmd('say hello, mappers');
    const talk = await c.until(
      () => c.gmcpMessages.find((m) => m.message === 'Comm.Channel.Text'),
      'Comm.Channel.Text',
    );
    expect(talk.data).toEqual({ channel: 'say', talker: 'quinn', text: 'hello, mappers' });
    await quinn.closeAndWait();
    c.line('quit');
    await c.closed;
  });

  it('sends GMCP Char.Vitals at login, and Char.Status again with the level and experience', async () => {
    const c = await login('vick', [IAC, DO, Gmcp]);
    const vitals = await c.until(
      () => c.gmcpMessages.find((m) => m.message === 'Char.Vitals'),
      'Char.Vitals',
    );
    // IRE's form, which Mudlet's packages read: health as hp, energy as mp, strings of digits.
    expect(vitals.data).toEqual({ hp: '30', maxhp: '30', mp: '20', maxmp: '20' });
    const statuses = () => c.gmcpMessages.filter((m) => m.message === 'Char.Status').map((m) => m.data);
    // The name on auth-ok, before the game's vitals; then the whole status with them.
    const status = await c.until(() => (statuses().length >= 2 ? statuses() : undefined), 'two Char.Status');
    expect(status).toEqual([{ name: 'vick' }, { name: 'vick', level: '1', xp: '0' }]);
    // Vitals are GMCP only: the text shows no trace of them.
    expect(c.text).not.toContain('maxHealth');
    c.line('quit');
    await c.closed;
  });

  it('sends GMCP Char.Quests at login and whenever the journal changes', async () => {
    const c = await login('quill', [IAC, DO, Gmcp]);
    const quests = () => c.gmcpMessages.filter((m) => m.message === 'Char.Quests').map((m) => m.data);
    /** Waits for the `count`th Char.Quests and returns it. */
    const nth = (count: number) => c.until(() => quests()[count - 1], `Char.Quests number ${count}`);
    const enter = (id: string) =>
      c.until(
        () => c.gmcpMessages.find((m) => m.message === 'Room.Info' && (m.data as { id: string }).id === id),
        `Room.Info of ${id}`,
      );
    // At login: an empty journal.
    expect(await nth(1)).toEqual({ active: [], done: 0 });

    c.line('west');
    await enter('harbor:lantern-inn');
    c.line('talk bram');
    await c.waitFor('"accept word-for-ossa"');
    // Talked to, Bram only offered: the journal did not change, so no Char.Quests yet.
    expect(quests()).toHaveLength(1);
    c.line('accept');
    const word = {
      id: 'word-for-ossa',
      title: 'A Word for the Harbourmaster',
      step: 1,
      steps: 1,
      todo: 'talk to Harbourmaster Ossa',
    };
    expect(await nth(2)).toEqual({ active: [word], done: 0 });
    c.line('abandon word');
    expect(await nth(3)).toEqual({ active: [], done: 0 });
    c.line('accept');
    expect(await nth(4)).toEqual({ active: [word], done: 0 });

    c.line('east');
    await enter('harbor:square');
    c.line('north');
    await enter('harbor:high-street');
    c.line('west');
    await enter('harbor:customs-house');
    c.line('talk ossa');
    expect(await nth(5)).toEqual({ active: [], done: 1 });
    await c.waitFor('Quest complete: A Word for the Harbourmaster!');
    c.line('quit');
    await c.closed;
  });

  it('compresses with MCCP2: the inflated stream is the same text an uncompressed client gets', async () => {
    const plain = await login('pia', [IAC, DONT, Compress2]);
    const packed = await login('zed', [IAC, DO, Compress2]);
    expect(packed.compressedBytes).toBeGreaterThan(0);
    // `help` is one reply, so nothing else can come between its first and last line.
    const transcript = async (c: TelnetTestClient) => {
      c.line('help');
      await c.waitFor('Commands:');
      return c.waitFor('Short forms work');
    };
    const a = await transcript(plain);
    const b = await transcript(packed);
    expect(b).toContain('look');
    expect(b).toBe(a);
    packed.line('quit');
    await packed.waitFor('[goodbye]');
    await packed.closed;
    // The server finished the zlib stream before closing: the client can tell a clean end.
    expect(await packed.until(() => packed.compressionEnd, 'end of the zlib stream')).toBe('finished');
    plain.line('quit');
    await plain.closed;
  });

  it('ends the zlib stream when a client turns MCCP2 off, and goes on in plain text', async () => {
    const c = await login('otto', [IAC, DO, Compress2]);
    expect(c.compressedBytes).toBeGreaterThan(0);
    c.send([IAC, DONT, Compress2]);
    await c.until(
      () => c.negotiations.find(([verb, option]) => verb === WONT && option === Compress2),
      'WONT',
    );
    // zlib tells where its stream ended once bytes follow it: the answer to `look`, plain.
    c.line('look');
    await c.waitFor('Exits:');
    expect(c.compressionEnd).toBe('finished');
    c.line('quit');
    await c.closed;
  });

  it('still plays with a raw TCP client that never sends IAC: no colour, no negotiation answers needed', async () => {
    const t = new TcpClient(telnet.port);
    cleanup.push(() => t.socket.destroy());
    await t.waitFor('By what name are you known?');
    t.line('rawley');
    await t.waitFor('Password');
    t.line('');
    const room = await t.waitFor('Exits:');
    expect(room).not.toContain(ESC);
    // No ECHO is offered to a client that does not speak telnet.
    expect(t.bytes.includes(Buffer.from([IAC, WILL, Echo]))).toBe(false);
    // Nor GMCP: its vitals and room are for clients that agreed to it.
    expect(t.bytes.includes(Buffer.from('Char.Vitals'))).toBe(false);
    t.line('say plain text');
    expect(await t.waitFor("You say, 'plain text'")).not.toContain(ESC);
    t.line('quit');
    await t.closed;
  });
});
