import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Msg, MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

vi.setConfig({ testTimeout: 120_000 });

// A small world on two shards: the pen (shard 0) and the moor (shard 1). The yard has three
// placed items, the shed a knife and a rat that dies at the first blow, the gate an aggressive
// dog too tough to kill whose only exit leads onto the moor (so a flight crosses shards). The
// moor's edge holds one stone: its zone's only item.
const WORLD = 'name: Tide World\nspawn: pen:yard\n';
const PEN = `id: pen
name: The Pen
rooms:
  yard:
    title: The Yard
    description: Mud.
    items: [bucket, rake, lamp]
    exits: { east: shed, north: gate, west: moor:edge }
  shed:
    title: The Shed
    description: Straw.
    items: [knife]
    exits: { west: yard }
  gate:
    title: The Gate
    description: A gate onto the moor.
    exits: { north: moor:edge }
items:
  bucket:
    name: a bucket
    description: Tin.
  rake:
    name: a rake
    description: Wooden.
  lamp:
    name: a lamp
    description: Brass.
  tail:
    name: a rat's tail
    description: Long and bald.
  knife:
    name: a knife
    description: Sharp.
    equip: { slot: wield, attack: 1 }
npcs:
  rat:
    name: a brown rat
    description: It squeaks.
    spawn: shed
    combat: { level: 1, health: 2, attack: 1, xp: 10, respawnSec: 3600, loot: [tail] }
  dog:
    name: a yard dog
    description: All teeth.
    spawn: gate
    combat: { level: 1, health: 1000, attack: 1, xp: 5, aggressive: true }
`;
const MOOR = `id: moor
name: The Moor
rooms:
  edge:
    title: The Moor's Edge
    description: Heather.
    items: [stone]
    exits: { east: pen:yard, south: pen:gate }
items:
  stone:
    name: a stone
    description: Grey.
`;

const CAT = `  cat:
    name: a tabby cat
    description: Asleep.
    spawn: yard
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lev-living-'));
  await mkdir(join(dir, 'world', 'zones'), { recursive: true });
  await writeFile(join(dir, 'world', 'world.yaml'), WORLD);
  await writeFile(join(dir, 'world', 'zones', 'pen.yaml'), PEN);
  await writeFile(join(dir, 'world', 'zones', 'moor.yaml'), MOOR);
  // The same world a little later: its builder added a cat to the yard.
  await mkdir(join(dir, 'world-2', 'zones'), { recursive: true });
  await writeFile(join(dir, 'world-2', 'world.yaml'), WORLD);
  await writeFile(join(dir, 'world-2', 'zones', 'pen.yaml'), `${PEN}${CAT}`);
  await writeFile(join(dir, 'world-2', 'zones', 'moor.yaml'), MOOR);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function start(gameOptions: Record<string, unknown>, store: object = { kind: 'none' }) {
  return startMud({
    gameOptions: { world: join(dir, 'world'), combatSeed: 7, ...gameOptions },
    zoneShards: { pen: 0, moor: 1 },
    store,
  });
}

/** The next room message for `id`, from `from` on. */
function roomMessage(client: MudClient, id: string, from = 0): Promise<Msg> {
  return client.next((m) => m.type === 'room' && m.id === id, `the room ${id}`, from);
}

/** The names of the items in a room message, sorted. */
function itemNames(room: Msg): string[] {
  return (room.items as { name: string }[]).map((i) => i.name).sort();
}

/** `look`: its text, and the room message it sends before it. */
async function look(client: MudClient): Promise<{ text: string; room: Msg }> {
  const from = client.received.length;
  const reply = await client.cmd('look');
  return { text: reply.text as string, room: await client.next((m) => m.type === 'room', 'the room', from) };
}

/** What a player carries, as { id, name } (the reply data of `inventory`). */
async function inventory(client: MudClient): Promise<{ id: string; name: string }[]> {
  return (await client.cmd('inventory')).data as { id: string; name: string }[];
}

/** A command answered, retried while its shard restarts (answered SHARD_UNAVAILABLE meanwhile). */
async function cmdThroughRestart(client: MudClient, line: string): Promise<Msg> {
  for (let i = 0; i < 100; i++) {
    const answer = await client.cmd(line);
    if (answer.type === 'reply') return answer;
  }
  throw new Error(`${client.name}: "${line}" never answered`);
}

/** The damage of every "<npc> hits you (n)." line received so far. */
function damageTaken(client: MudClient): number {
  let sum = 0;
  for (const m of client.received) {
    const hit = m.type === 'text' ? /hits you \((\d+)\)\.$/.exec(m.text as string) : null;
    if (hit) sum += Number(hit[1]);
  }
  return sum;
}

describe('a world that remembers: floor items across a restart', () => {
  let server: LeviathanServer | undefined;
  const clients: MudClient[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await server?.close();
  });

  it('keeps dropped, taken and moved items, corpses and dead NPCs exactly; respawn times run on', async () => {
    const store = { kind: 'embedded', dataDir: join(dir, 'data') };
    let url: string;
    // Before the restart: a taken item comes back in an hour, a corpse lasts an hour.
    ({ server, url } = await start({ respawnSec: 3600, corpseDecaySec: 3600, combatRoundSec: 0.2 }, store));
    const ann = await MudClient.login(url, 'ann');
    clients.push(ann);
    expect((await ann.cmd('get bucket')).text).toBe('You take a bucket.');
    expect((await ann.cmd('get rake')).text).toBe('You take a rake.');
    // The moor's only item: once taken, its zone has no item left at all.
    await ann.walk('west');
    expect((await ann.cmd('get stone')).text).toBe('You take a stone.');
    await ann.walk('east', 'east');
    // The rake moves: taken in the yard, dropped in the shed.
    expect((await ann.cmd('drop rake')).text).toBe('You drop a rake.');
    expect((await ann.cmd('kill rat')).ok).toBe(true);
    await ann.text('The brown rat dies.');
    await ann.text("The brown rat leaves a rat's tail behind.");
    const shedBefore = (await look(ann)).room.items as { id: string; name: string }[];
    expect(shedBefore.map((i) => i.name).sort()).toEqual([
      'a knife',
      'a rake',
      "a rat's tail",
      'the corpse of a brown rat',
    ]);
    const carriedBefore = await inventory(ann);
    expect(carriedBefore.map((i) => i.name).sort()).toEqual(['a bucket', 'a stone']);
    await ann.closeAndWait();
    await server.close();
    server = undefined;

    // After: respawns are quick now, but the times set before the restart still hold; and the
    // world file has a new NPC.
    const after = { respawnSec: 0.5, corpseDecaySec: 3600, combatRoundSec: 0.2, world: join(dir, 'world-2') };
    ({ server, url } = await start(after, store));
    const again = await MudClient.login(url, 'ann');
    clients.push(again);
    const shed = await look(again);
    // The same instances, each once: the dropped rake, the corpse (its decay time kept), the loot
    // and the knife. The rat is still dead: it respawns in an hour.
    expect(shed.room.items).toEqual(expect.arrayContaining(shedBefore));
    expect(shed.room.items).toHaveLength(shedBefore.length);
    expect(shed.room.occupants).toEqual([]);
    // Taken items stay taken: carried, and not back on their floor.
    expect(await inventory(again)).toEqual(carriedBefore);
    const yard = await again.walk('west');
    expect(itemNames(yard)).toEqual(['a lamp']);
    // The NPC new in the world file is there; nothing the store brought back was placed again.
    expect(yard.occupants).toEqual([{ name: 'a tabby cat', kind: 'npc' }]);
    expect(itemNames(await again.walk('west'))).toEqual([]);
    await again.walk('east');
    // The lamp, taken now, comes back half a second later; the bucket and the rake, taken before
    // the restart, keep their hour (were their time forgotten, they would be back first).
    const from = again.received.length;
    expect((await again.cmd('get lamp')).text).toBe('You take a lamp.');
    const back = await again.next(
      (m) => m.type === 'room' && m.id === 'pen:yard' && itemNames(m).includes('a lamp'),
      'the lamp back',
      from,
    );
    expect(itemNames(back)).toEqual(['a lamp']);
  });
});

describe('a fight through a shard crash', () => {
  let server: LeviathanServer;
  let url: string;
  const clients: MudClient[] = [];
  beforeAll(async () => {
    ({ server, url } = await start({ combatRoundSec: 0.5, regenSec: 3600 }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await server?.close();
  });

  it('goes on after the shard comes back, with the character exactly as it was', async () => {
    const cid = await MudClient.login(url, 'cid');
    clients.push(cid);
    await cid.walk('east');
    expect((await cid.cmd('get knife')).ok).toBe(true);
    expect((await cid.cmd('wield knife')).ok).toBe(true);
    await cid.walk('west');
    expect((await cid.cmd('get bucket')).ok).toBe(true);
    const carried = await inventory(cid);
    const worn = (await cid.cmd('equipment')).data;
    const before = (await cid.cmd('score')).data;
    await cid.walk('north');
    await cid.text('The yard dog attacks you!');
    await cid.next((m) => m.type === 'text' && /^The yard dog (hits|misses) you/.test(m.text), 'a blow');

    // The crash comes between two rounds: every blow told was saved with the tick that dealt it.
    const restarted = new Promise<void>((resolve) => server.events.once('shard-restart', () => resolve()));
    await server.killShard(0);
    await restarted;
    const taken = damageTaken(cid);
    const from = cid.received.length;
    // Re-joined with the state main kept: the vitals of its arrival, to the point.
    const vitals = await cid.next((m) => m.type === 'vitals', 'the vitals on re-joining', from);
    expect(vitals).toMatchObject({ health: before.health - taken, energy: before.energy, xp: 0 });
    // No command after the crash: the blows come because the fight was kept, on both sides.
    await cid.next((m) => m.type === 'text' && /^You (hit|miss) the yard dog/.test(m.text), 'a blow', from);
    await cid.next(
      (m) => m.type === 'text' && /^The yard dog (hits|misses) you/.test(m.text),
      'a blow back',
      from,
    );
    const after = await cmdThroughRestart(cid, 'score');
    expect(after.text).toContain('You are fighting the yard dog.');
    expect(after.data).toMatchObject({
      level: before.level,
      xp: before.xp,
      energy: before.energy,
      coins: before.coins,
      attack: before.attack,
      fighting: 'dog',
    });
    expect(await inventory(cid)).toEqual(carried);
    expect((await cid.cmd('equipment')).data).toEqual(worn);
  });
});

describe('fleeing into a zone on another shard', () => {
  let server: LeviathanServer;
  let url: string;
  const clients: MudClient[] = [];
  beforeAll(async () => {
    ({ server, url } = await start({ combatRoundSec: 0.2, regenSec: 3600 }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await server?.close();
  });

  it('carries the character over exactly, and the fight ends on both sides', async () => {
    const bob = await MudClient.login(url, 'bob');
    clients.push(bob);
    const start = (await bob.cmd('score')).data;
    await bob.walk('east');
    expect((await bob.cmd('get knife')).ok).toBe(true);
    expect((await bob.cmd('wield knife')).ok).toBe(true);
    await bob.walk('west');
    expect((await bob.cmd('get bucket')).ok).toBe(true);
    const carried = await inventory(bob);
    const worn = (await bob.cmd('equipment')).data;
    await bob.walk('north');
    await bob.text('The yard dog attacks you!');
    await bob.next((m) => m.type === 'text' && /^The yard dog (hits|misses) you/.test(m.text), 'a blow');
    // The gate's only exit is the moor, on shard 1: a flight there is a handoff mid-fight.
    let fled = await bob.cmd('flee');
    for (let i = 0; fled.data?.fled === false && i < 50; i++) fled = await bob.cmd('flee');
    expect(fled.data).toMatchObject({ fled: true, direction: 'north' });
    await roomMessage(bob, 'moor:edge');
    const after = await bob.cmd('score');
    // Every blow taken was in the pen; nothing else changed.
    expect(after.data).toMatchObject({
      level: start.level,
      xp: 0,
      health: start.health - damageTaken(bob),
      energy: start.energy,
      coins: start.coins,
      fighting: null,
    });
    expect(after.data.attack).toBe(start.attack + 1);
    expect(await inventory(bob)).toEqual(carried);
    expect((await bob.cmd('equipment')).data).toEqual(worn);

    // The dog let go of him: back at the gate, it picks him anew (a dog still set on him would
    // just bite, without a word of attacking).
    const from = bob.received.length;
    await bob.walk('south');
    await bob.next((m) => m.type === 'text' && m.text === 'The yard dog attacks you!', 'a new attack', from);
  });
});
