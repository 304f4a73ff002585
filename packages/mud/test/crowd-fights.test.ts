import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CROWD } from '../src/game/crowd.js';
import { FIGHT_LINES_QUOTED } from '../src/game/fight-chatter.js';
import { type Msg, MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

vi.setConfig({ testTimeout: 180_000 });

// One room full of rats too tough to die within the test, and a quiet room next door to fight in
// with few watching.
const WORLD = 'name: Rat World\nspawn: den:hall\n';
const RAT = (k: number, room: string) => `  rat${k}:
    name: a grey rat
    keywords: [rat${k}]
    description: Grey.
    spawn: ${room}
    combat: { level: 1, health: 1000, attack: 1, xp: 5 }
`;
const DEN = `id: den
name: The Den
rooms:
  hall:
    title: The Hall
    description: Crowded.
    exits: { east: nook }
  nook:
    title: The Nook
    description: Quiet.
    exits: { west: hall }
npcs:
${[1, 2, 3, 4].map((k) => RAT(k, 'hall')).join('')}${RAT(5, 'nook')}`;

const FIGHTERS = 4;
/** Fight lines about others, as bystanders read them one by one in a small room. */
const BYSTANDER_LINE = /^(f\d|The grey rat) (hits|misses|attacks) /;

let dir: string;
let server: LeviathanServer;
let url: string;
const clients: MudClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lev-crowd-fights-'));
  await mkdir(join(dir, 'zones'), { recursive: true });
  await writeFile(join(dir, 'world.yaml'), WORLD);
  await writeFile(join(dir, 'zones', 'den.yaml'), DEN);
  ({ server, url } = await startMud({
    gameOptions: { world: dir, combatSeed: 3, combatRoundSec: 0.3, regenSec: 3600 },
    // CROWD logins from one address: more than the login rate limit allows by default.
    auth: { mode: 'custom', rate: { perSecond: 1000, burst: 1000 } },
  }));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.closeAndWait()));
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function combatTexts(c: MudClient, from = 0): string[] {
  return c.received
    .slice(from)
    .filter((m: Msg) => m.type === 'text' && m.channel === 'combat')
    .map((m) => m.text as string);
}

describe('fights in a crowd', () => {
  it('tell a crowded room one summary a tick; the fighters still read their own blows', async () => {
    // CROWD players in the hall: FIGHTERS fight, the rest watch.
    for (let i = 0; i < CROWD; i++) {
      clients.push(await MudClient.login(url, i < FIGHTERS ? `f${i}` : `watcher${i}`));
    }
    const fighters = clients.slice(0, FIGHTERS);
    const watcher = clients[CROWD - 1]!;
    const from = watcher.received.length;
    for (let i = 0; i < FIGHTERS; i++) {
      expect((await fighters[i]!.cmd(`kill rat${i + 1}`)).text).toBe('You attack the grey rat!');
    }
    // Several rounds: each tick with fight lines gives the watcher one summary of them.
    const summaries: string[] = [];
    while (summaries.filter((s) => / And \d+ more\.$/.test(s)).length < 2) {
      const m = await watcher.next(
        (x) => x.type === 'text' && x.channel === 'combat',
        'a line of the fights',
        from + summaries.length,
      );
      summaries.push(m.text as string);
    }
    for (const s of combatTexts(watcher, from)) {
      expect(s).toMatch(/^Fights all around you: /);
      expect(s).not.toMatch(BYSTANDER_LINE);
    }
    // A round of 4 fighters and 4 rats is 8 blows: 3 quoted, the rest counted.
    const round = summaries.find((s) => / And \d+ more\.$/.test(s))!;
    const quoted = round.replace(/^Fights all around you: /, '').replace(/ And \d+ more\.$/, '');
    expect(quoted.split(/(?<=[.!]) /)).toHaveLength(FIGHT_LINES_QUOTED);
    // The fighters read their own blows, as anywhere.
    await fighters[0]!.next(
      (m) => m.type === 'text' && /^You (hit|miss) the grey rat/.test(m.text),
      'f0 striking its rat',
    );
    await fighters[0]!.next(
      (m) => m.type === 'text' && /^The grey rat (hits|misses) you/.test(m.text),
      'f0 struck back',
    );
  });

  it('tell a small room each line as it happens', async () => {
    const watcher = await MudClient.login(url, 'quietwatcher');
    clients.push(watcher);
    await watcher.walk('east');
    const guest = await MudClient.login(url, 'guest');
    clients.push(guest);
    await guest.walk('east');
    const from = watcher.received.length;
    expect((await guest.cmd('kill rat5')).ok).toBe(true);
    await watcher.next(
      (m) => m.type === 'text' && m.text === 'guest attacks the grey rat!',
      'the attack',
      from,
    );
    await watcher.next(
      (m) => m.type === 'text' && /^guest (hits|misses) the grey rat\.$/.test(m.text),
      'a blow of guest',
      from,
    );
    expect(combatTexts(watcher, from).some((t) => t.startsWith('Fights all around you'))).toBe(false);
  });
});
