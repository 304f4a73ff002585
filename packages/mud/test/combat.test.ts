import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Msg, MudClient } from './helpers/mud-client.js';
import { startMud, verifierWithRoles, WORLD_DIR } from './helpers/mud-server.js';

vi.setConfig({ testTimeout: 120_000 });

/**
 * Fights resolve with a seeded random source, healing every second, and a round every 0.75 s: an
 * eel needs three blows at least, so a few commands fit in a fight before it ends.
 */
const COMBAT = { world: WORLD_DIR, combatSeed: 17, combatRoundSec: 0.75, regenSec: 1 };

async function score(c: MudClient): Promise<Msg> {
  return c.cmd('score');
}

/** Asks `score` until the player is whole again (healing is on the tick), at most `tries` times. */
async function untilHealed(c: MudClient, tries = 200): Promise<Msg> {
  for (let i = 0; i < tries; i++) {
    const s = await score(c);
    if (s.data.health === s.data.maxHealth) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${c.name} never healed`);
}

// Combat over the wire on the example world (the marsh and the forest are on shard 1).
describe('combat: fights on the tick, death, healing', () => {
  let server: LeviathanServer;
  let url: string;
  const clients: MudClient[] = [];

  beforeAll(async () => {
    ({ server, url } = await startMud({ gameOptions: COMBAT }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await server?.close();
  });

  it('kills the conger eel: considered, held in the fight, experience and loot', async () => {
    const root = await MudClient.login(url, 'root');
    clients.push(root);
    // The harbour is peaceful: its people cannot be attacked.
    await root.cmd('teleport harbor:customs-house');
    await root.next((m) => m.type === 'room' && m.id === 'harbor:customs-house');
    const refused = await root.cmd('kill harbourmaster');
    expect(refused).toMatchObject({ ok: false, text: 'You cannot attack Harbourmaster Ossa.' });
    expect((await root.cmd('consider ossa')).text).toBe('Harbourmaster Ossa is not one to fight.');
    expect((await root.cmd('kill nobody')).text).toBe('You see no "nobody" here.');
    expect((await root.cmd('flee')).text).toBe('You are not fighting anyone.');

    await root.cmd('teleport marsh:mire');
    await root.next((m) => m.type === 'room' && m.id === 'marsh:mire');
    expect((await root.cmd('consider eel')).text).toBe('The conger eel looks like a fair fight.');
    const attack = await root.cmd('kill eel');
    expect(attack).toMatchObject({ ok: true, text: 'You attack the conger eel!' });
    expect((await score(root)).data.fighting).toBe('conger');
    // A fight holds you: walking away is refused until the fight ends or you flee.
    expect((await root.cmd('north')).text).toBe('You are fighting the conger eel! Type "flee" to get away.');
    expect((await root.cmd('kill eel')).text).toBe('You are already fighting the conger eel.');

    await root.text('You hit the conger eel (');
    await root.text('The conger eel dies.');
    await root.text('The conger eel leaves a slippery eel behind.');
    await root.text('You gain 50 experience.');
    const after = await score(root);
    expect(after.data).toMatchObject({ xp: 50, level: 1, fighting: null });
    const look = await root.cmd('look');
    expect(look.text).toContain('the corpse of a conger eel');
    expect(look.text).not.toContain('A conger eel');
    expect((await root.cmd('get eel')).text).toBe('You take a slippery eel.');
    expect((await root.cmd('kill eel')).text).toBe('You see no "eel" here.');
    // The eel bit back: whatever it took comes back out of combat.
    const hits = root.received.filter((m) => m.type === 'text' && /^The conger eel hits you/.test(m.text));
    expect(hits.length).toBeGreaterThan(0);
    expect((await untilHealed(root)).data.health).toBe(30);
  });

  it('the barrow-wight attacks on arrival; flee gets away; back in, it kills and you wake at the harbour', async () => {
    const root = clients[0]!;
    await root.cmd('teleport forest:barrow-deep');
    await root.next((m) => m.type === 'room' && m.id === 'forest:barrow-deep');
    await root.text('The barrow-wight attacks you!');
    expect((await root.cmd('consider wight')).text).toBe('The barrow-wight would kill you.');
    let fled: Msg | undefined;
    for (let i = 0; i < 20 && !fled; i++) {
      const r = await root.cmd('flee');
      expect(r.ok).toBe(true);
      if (r.data?.fled) fled = r;
      else expect(r.text).toBe('You try to flee, but the barrow-wight blocks your way!');
    }
    expect(fled?.text).toBe('You flee south!');
    await root.next((m) => m.type === 'room' && m.id === 'forest:barrow');
    expect((await score(root)).data.fighting).toBeNull();
    await untilHealed(root);

    // Back in: attacked again, and this time no flight.
    const from = root.received.length;
    await root.walk('north');
    await root.next((m) => m.type === 'text' && m.text === 'The barrow-wight attacks you!', 'attack', from);
    await root.text('The barrow-wight kills you!');
    await root.text('You wake in Fishmarket Square, whole again.');
    await root.next((m) => m.type === 'room' && m.id === 'harbor:square', 'the spawn room', from);
    const after = await score(root);
    expect(after.data).toMatchObject({ health: 30, fighting: null, xp: 50 });
  });
});

// A fight is kept in player state and entity data: it goes on after the server restarts.
describe('combat: persistence', () => {
  let data: string;
  let server: LeviathanServer | undefined;
  const clients: MudClient[] = [];

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'lev-combat-'));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await server?.close();
    if (data) await rm(data, { recursive: true, force: true });
  });

  it('a fight started before a restart is fought to its end after it', async () => {
    const store = { kind: 'embedded', dataDir: data };
    let url: string;
    // Rounds an hour apart: the fight is started but no blow falls before the restart.
    ({ server, url } = await startMud({ store, gameOptions: { ...COMBAT, combatRoundSec: 3600 } }));
    const root = await MudClient.login(url, 'root');
    clients.push(root);
    await root.cmd('teleport marsh:mire');
    await root.next((m) => m.type === 'room' && m.id === 'marsh:mire');
    expect((await root.cmd('kill eel')).ok).toBe(true);
    expect((await score(root)).text).toContain('You are fighting the conger eel.');
    await root.closeAndWait();
    await server.close();

    ({ server, url } = await startMud({ store, gameOptions: COMBAT }));
    const again = await MudClient.login(url, 'root');
    clients.push(again);
    // No command after the restart: the blows come because the fight was kept.
    await again.text('You hit the conger eel (');
    await again.text('The conger eel dies.');
    expect((await score(again)).data).toMatchObject({ xp: 50, fighting: null });
  });
});

/** The damage `c` was told it dealt ("You hit the conger eel (4).") before the eel's death line. */
function damageDealt(c: MudClient, death: Msg): number {
  const upTo = c.received.indexOf(death);
  let dealt = 0;
  for (const m of c.received.slice(0, upTo)) {
    const hit = m.type === 'text' ? /^You hit the conger eel \((\d+)\)/.exec(m.text) : null;
    if (hit) dealt += Number(hit[1]);
  }
  return dealt;
}

// Two players fight the conger eel together: its 50 experience is split by the damage each dealt.
describe('combat: experience shared by everyone who fought', () => {
  let server: LeviathanServer;
  let url: string;
  const clients: MudClient[] = [];

  beforeAll(async () => {
    // Both may teleport, so the test needs no walking.
    const verifier = verifierWithRoles({ root: ['admin'], ann: ['admin'] });
    ({ server, url } = await startMud({ verifier, gameOptions: COMBAT }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await server?.close();
  });

  it('splits the experience in proportion to damage, and both count the kill for their quest', async () => {
    const [root, ann] = await Promise.all([MudClient.login(url, 'root'), MudClient.login(url, 'ann')]);
    clients.push(root, ann);
    for (const c of [root, ann]) {
      await c.cmd('teleport marsh:eel-traps');
      await c.next((m) => m.type === 'room' && m.id === 'marsh:eel-traps');
      await c.cmd('talk nessa');
      expect((await c.cmd('accept conger')).ok).toBe(true);
    }
    for (const c of [root, ann]) {
      await c.cmd('teleport marsh:mire');
      await c.next((m) => m.type === 'room' && m.id === 'marsh:mire');
    }
    expect((await root.cmd('kill eel')).ok).toBe(true);
    expect((await ann.cmd('kill eel')).ok).toBe(true);
    const [rootDeath, annDeath] = await Promise.all([
      root.text('The conger eel dies.'),
      ann.text('The conger eel dies.'),
    ]);
    const dealt = { root: damageDealt(root, rootDeath), ann: damageDealt(ann, annDeath) };
    // Both landed blows (the seeded fight makes sure of it), and together they took its 14 health.
    expect(dealt.root).toBeGreaterThan(0);
    expect(dealt.ann).toBeGreaterThan(0);
    expect(dealt.root + dealt.ann).toBeGreaterThanOrEqual(14);

    const gained = {
      root: Number(/(\d+)/.exec((await root.text('experience.')).text)![1]),
      ann: Number(/(\d+)/.exec((await ann.text('experience.')).text)![1]),
    };
    expect((await score(root)).data.xp).toBe(gained.root);
    expect((await score(ann)).data.xp).toBe(gained.ann);
    // Every point given, none made up: the shares add up to the eel's 50.
    expect(gained.root + gained.ann).toBe(50);
    // Each share is its part of 50 rounded down, but for the killer's, which takes the remainder.
    const total = dealt.root + dealt.ann;
    const floor = { root: Math.floor((50 * dealt.root) / total), ann: Math.floor((50 * dealt.ann) / total) };
    const remainder = 50 - floor.root - floor.ann;
    expect([
      [floor.root + remainder, floor.ann],
      [floor.root, floor.ann + remainder],
    ]).toContainEqual([gained.root, gained.ann]);

    // Both fought, so the kill counts for both of their quests.
    for (const c of [root, ann]) {
      await c.text('The Conger in the Mire: kill a conger eel (1/1).');
      expect((await c.cmd('quests')).text).toBe(
        'Quests in progress:\n  The Conger in the Mire (step 2 of 2): talk to Nessa the eel-catcher.',
      );
    }
  });
});

// Who leaves before the end shares nothing: its own server, for an eel that has not died yet.
describe('combat: experience for who is there at the end', () => {
  let server: LeviathanServer;
  let url: string;
  const clients: MudClient[] = [];

  beforeAll(async () => {
    const verifier = verifierWithRoles({ root: ['admin'], ann: ['admin'] });
    ({ server, url } = await startMud({ verifier, gameOptions: COMBAT }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await server?.close();
  });

  it('gives nothing to a player who hurt the eel and fled; the one who killed it gains it all', async () => {
    const [root, ann] = await Promise.all([MudClient.login(url, 'root'), MudClient.login(url, 'ann')]);
    clients.push(root, ann);
    for (const c of [ann, root]) {
      await c.cmd('teleport marsh:mire');
      await c.next((m) => m.type === 'room' && m.id === 'marsh:mire');
    }
    expect((await ann.cmd('kill eel')).ok).toBe(true);
    await ann.text('You hit the conger eel (');
    let fled = false;
    for (let i = 0; i < 20 && !fled; i++) fled = (await ann.cmd('flee')).data?.fled === true;
    expect(fled).toBe(true);

    expect((await root.cmd('kill eel')).ok).toBe(true);
    await root.text('The conger eel dies.');
    await root.text('You gain 50 experience.');
    expect((await score(root)).data.xp).toBe(50);
    expect((await score(ann)).data.xp).toBe(0);
    expect(ann.received.some((m) => m.type === 'text' && /experience/.test(m.text))).toBe(false);
  });
});
