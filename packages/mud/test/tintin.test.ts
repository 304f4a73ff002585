import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { hasTool, TmuxPane } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTelnetServer, type TelnetServer } from '../src/telnet/index.js';
import { startMud } from './helpers/mud-server.js';

// A real MUD client in a real terminal; the bound only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

/** Debian installs TinTin++ in /usr/games, which is not on every PATH (root's, in CI). */
const TT = existsSync('/usr/games/tt++') ? '/usr/games/tt++' : 'tt++';
const available = (TT !== 'tt++' || hasTool('tt++', 'tintin++')) && hasTool('tmux');

let server: LeviathanServer;
let telnet: TelnetServer;
let dir: string;
let terminal: TmuxPane | undefined;

beforeAll(async () => {
  if (!available) return;
  const { server: s, url } = await startMud();
  server = s;
  telnet = createTelnetServer({ port: 0, gatewayUrl: url, secretAs: 'token', defaultToken: 'test-token' });
  await telnet.listen();
  dir = mkdtempSync(join(tmpdir(), 'leviathan-tintin-'));
});
afterAll(async () => {
  await terminal?.close();
  await telnet?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!available)('TinTin++ on the telnet port', () => {
  it('connects, takes GMCP and MCCP, and plays', async () => {
    // The script a TinTin++ player writes for GMCP (TinTin++ refuses GMCP unless told), and a
    // telnet debug log, to see what was negotiated.
    const script = join(dir, 'mud.tin');
    writeFileSync(
      script,
      [
        '#config {debug telnet} {on}',
        '#event {IAC WILL GMCP} {#send {\\xFF\\xFD\\xC9}}',
        '#event {IAC SB GMCP Room.Info IAC SE} {#showme {ROOM-INFO %1}}',
        `#session mud 127.0.0.1 ${telnet.port}`,
        '',
      ].join('\n'),
    );
    terminal = await TmuxPane.open(100, 40, { command: [TT, script], env: { TERM: 'xterm-256color' } });
    await terminal.waitForText('By what name are you known?');
    await terminal.type('tina');
    await terminal.waitForText('Password');
    await terminal.type('');
    await terminal.waitForText('Exits: north, south, east, west.');
    // TinTin++ took compression, MSSP and window size as offered, and GMCP through its script.
    const start = await terminal.waitForText('ROOM-INFO', 'GMCP Room.Info');
    expect(start).toContain('INFO MCCP2 INITIALIZED');
    expect(start).toContain('SENT IAC SB NAWS 0 100 0 40');
    expect(start).toContain('RCVD IAC SB MSSP VAR NAME');
    expect(start).toMatch(/ROOM-INFO Room\.Info \{"num":\d+,"id":"harbor:square"/);
    expect(start).toContain('IAC SB GMCP Char.Status IAC SE');
    // Text is wrapped to the window: two columns short of 100, so no line is cut by the terminal.
    expect(start).toMatch(/fountain stands at the centre[^\n]{40,98}\n/);
    // The room title comes in colour (cyan: SGR 36).
    expect(await terminal.text(true)).toMatch(/36m(?:\u001b\[[0-9;]*m)*Fishmarket Square/);

    // It plays: a move brings the next room and its Room.Info, talk goes through.
    await terminal.type('south');
    await terminal.waitForText(
      /ROOM-INFO Room\.Info \{"num":\d+,"id":"harbor:quay"/,
      'Room.Info of the quay',
    );
    await terminal.waitForText('Exits: north, east, west.');
    await terminal.type('say all is well');
    await terminal.waitForText("You say, 'all is well'");
    await terminal.type('quit');
    await terminal.waitForText('[goodbye]');
    // The server ends the zlib stream before it closes, and TinTin++ sees that end (a stream cut
    // short is reported as an error instead).
    const end = await terminal.waitForText("#SESSION 'mud' DIED.");
    expect(end).toContain('#COMPRESSION END, DISABLING MCCP2.');
    expect(end).not.toMatch(/MCCP2?[^\n]*ERROR|INFLATE/i);
  });
});
