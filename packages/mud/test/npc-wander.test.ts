import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

// Real servers, threads and browsers on a shared 2-core machine: every wait is event-driven,
// and this bound only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

// A small world of its own: a cat that wanders every second (chance 1) between two rooms of its
// yard, one of which also leads out into another zone on another shard. The cat must come and go
// by the tick, and never leave its zone.
const WORLD = 'name: Yard World\nspawn: yard:a\n';
const YARD = `id: yard
name: The Yard
shard: 0
rooms:
  a:
    title: Front Yard
    description: Grass.
    exits: { east: b }
  b:
    title: Back Yard
    description: More grass.
    exits: { west: a, north: alley:c }
npcs:
  cat:
    name: a ginger cat
    description: It is going somewhere.
    spawn: b
    wander: { every: 1, chance: 1 }
`;
const ALLEY = `id: alley
name: The Alley
shard: 1
rooms:
  c:
    title: Alley
    description: Bins.
    exits: { south: yard:b }
`;

let dir: string;
let server: LeviathanServer;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lev-yard-'));
  await mkdir(join(dir, 'zones'));
  await writeFile(join(dir, 'world.yaml'), WORLD);
  await writeFile(join(dir, 'zones', 'yard.yaml'), YARD);
  await writeFile(join(dir, 'zones', 'alley.yaml'), ALLEY);
  ({ server, url } = await startMud({ gameOptions: { world: dir }, zoneShards: { yard: 0, alley: 1 } }));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('NPCs on the tick', () => {
  it('wander through exits of their own zone, and the room sees them come and go', async () => {
    const pip = await MudClient.login(url, 'pip');
    try {
      for (let i = 0; i < 2; i++) {
        const arrive = await pip.next(
          (m) => m.type === 'presence' && m.name === 'a ginger cat' && m.event === 'arrive',
        );
        expect(arrive).toMatchObject({ kind: 'npc', direction: 'east' });
        await pip.text('A ginger cat arrives from the east.');
        const depart = await pip.next(
          (m) => m.type === 'presence' && m.name === 'a ginger cat' && m.event === 'depart',
        );
        expect(depart).toMatchObject({ kind: 'npc', direction: 'east' });
        await pip.text('A ginger cat leaves east.');
      }
      // From the back yard the only other exit leads to the alley, another zone: the cat never
      // takes it. A watcher in the alley sees no cat while it keeps pacing the yard.
      const sam = await MudClient.login(url, 'sam');
      try {
        const alley = await sam.walk('e', 'n');
        expect(alley.id).toBe('alley:c');
        const from = sam.received.length;
        // Were the cat free to take the alley exit it would, half the time it stands in the back
        // yard, and never come back: three more visits to the front yard make that show.
        for (let i = 0; i < 3; i++) {
          await pip.next((m) => m.type === 'presence' && m.name === 'a ginger cat' && m.event === 'arrive');
        }
        expect(sam.received.slice(from).some((m) => m.type === 'presence' && m.kind === 'npc')).toBe(false);
      } finally {
        await sam.closeAndWait();
      }
    } finally {
      await pip.closeAndWait();
    }
  });
});
