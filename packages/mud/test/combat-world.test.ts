import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

vi.setConfig({ testTimeout: 120_000 });

// A small world of its own for what the example world makes slow to see: a rat that respawns a
// second after it dies (its corpse crumbling two seconds after), and a hare that runs at its
// first wound.
const WORLD = 'name: Pen World\nspawn: pen:yard\n';
const PEN = `id: pen
name: The Pen
rooms:
  yard:
    title: The Yard
    description: Mud.
    exits: { east: shed }
  shed:
    title: The Shed
    description: Straw.
    exits: { west: yard, north: loft }
  loft:
    title: The Loft
    description: Dust.
    exits: { south: shed }
items:
  tail:
    name: a rat's tail
    description: Long and bald.
npcs:
  rat:
    name: a brown rat
    description: It squeaks.
    spawn: shed
    combat: { level: 1, health: 2, attack: 1, xp: 10, respawnSec: 1, loot: [tail] }
  hare:
    name: a grey hare
    description: All ears.
    spawn: shed
    combat: { level: 1, health: 100, attack: 0, xp: 5, flee: 99 }
`;

let dir: string;
let server: LeviathanServer;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lev-pen-'));
  await mkdir(join(dir, 'zones'));
  await writeFile(join(dir, 'world.yaml'), WORLD);
  await writeFile(join(dir, 'zones', 'pen.yaml'), PEN);
  ({ server, url } = await startMud({
    gameOptions: { world: dir, combatSeed: 5, combatRoundSec: 0.2, regenSec: 0.5, corpseDecaySec: 2 },
    zoneShards: { pen: 0 },
  }));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('combat in a small world', () => {
  it('the room sees the fight; the NPC drops its loot, respawns, and a wounded one runs', async () => {
    const pip = await MudClient.login(url, 'pip');
    const ann = await MudClient.login(url, 'ann');
    try {
      await pip.walk('east');
      await ann.walk('east');
      expect((await pip.cmd('con rat')).text).toBe('The brown rat looks like a fair fight.');
      expect((await pip.cmd('attack rat')).text).toBe('You attack the brown rat!');
      await ann.text('pip attacks the brown rat!');
      await pip.text('The brown rat dies.');
      await ann.text('The brown rat dies.');
      await ann.text("The brown rat leaves a rat's tail behind.");
      expect((await pip.cmd('score')).data).toMatchObject({ xp: 10, fighting: null });
      expect((await ann.cmd('get tail')).text).toBe("You take a rat's tail.");
      expect((await ann.cmd('get corpse')).text).toBe('You cannot take the corpse of a brown rat.');
      expect((await ann.cmd('examine corpse')).text).toContain('What is left of a brown rat.');
      // Back a second later, whole, in its spawn room; its corpse crumbles a little later.
      await ann.text('A brown rat appears.');
      await ann.text('The corpse of a brown rat crumbles to dust.');
      const look = (await pip.cmd('look')).text;
      expect(look).toContain('A brown rat, a grey hare and ann are here.');
      expect(look).not.toContain('corpse');

      // The hare runs at its first wound, through an exit of its zone; the fight is over.
      await pip.cmd('kill hare');
      const fled = await pip.next(
        (m) => m.type === 'text' && /^The grey hare flees (west|north)\.$/.test(m.text),
        'the hare fleeing',
      );
      expect(fled.channel).toBe('room');
      const score = await pip.cmd('score');
      expect(score.data.fighting).toBeNull();
      expect((await pip.cmd('look')).text).not.toContain('hare');
    } finally {
      await pip.closeAndWait();
      await ann.closeAndWait();
    }
  });
});
