import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { lineDiff } from './helpers/line-diff.js';
import { MudClient } from './helpers/mud-client.js';
import { startMud, verifierWithRoles, WORLD_DIR } from './helpers/mud-server.js';

vi.setConfig({ testTimeout: 120_000 });

/** `bob` builds, `eve` administers (`teleport`); everyone else only plays. */
const verifier = verifierWithRoles({ bob: ['builder'], eve: ['admin'] });

// A copy of the example world: builders write their zone files, and the real example must not change.
const world = join(mkdtempSync(join(tmpdir(), 'lev-building-')), 'world');
cpSync(WORLD_DIR, world, { recursive: true });
const harborFile = join(world, 'zones', 'harbor.yaml');
const original = readFileSync(harborFile, 'utf8');

let server: LeviathanServer | undefined;
const clients: MudClient[] = [];
afterAll(async () => {
  for (const c of clients) await c.closeAndWait();
  await server?.close();
  rmSync(join(world, '..'), { recursive: true, force: true });
});

async function start(): Promise<string> {
  const started = await startMud({ gameOptions: { world }, verifier });
  server = started.server;
  return started.url;
}

async function login(url: string, name: string): Promise<MudClient> {
  const c = await MudClient.login(url, name);
  clients.push(c);
  return c;
}

async function stop(): Promise<void> {
  for (const c of clients.splice(0)) await c.closeAndWait();
  await server?.close();
  server = undefined;
}

describe('building in the game', () => {
  it('digs, links, describes and places, live and in the zone file, and keeps it after a restart', async () => {
    let url = await start();
    const bob = await login(url, 'bob');
    const ann = await login(url, 'ann');

    // A player without the builder role: the commands do not exist for her, as admin ones do not.
    expect((await ann.cmd('shutdown')).text).toBe('Unknown command "shutdown". Type help.');
    const refused = await ann.cmd('dig down cellar');
    expect(refused.ok).toBe(false);
    expect(refused.text).toBe('Unknown command "dig". Type help.');
    expect((await ann.cmd('reload zone')).text).toBe('Unknown command "reload". Type help.');
    expect((await ann.cmd('help')).text).not.toContain('dig <direction>');
    expect((await bob.cmd('help')).text).toContain('dig <direction> <room-id> [title]');
    // Nor does a prefix of one reach it.
    expect((await ann.cmd('reloa zone')).text).toMatch(/is not a command/);
    expect(readFileSync(harborFile, 'utf8')).toBe(original);

    const dug = await bob.cmd('dig down cellar The Old Cellar');
    expect(dug).toMatchObject({ ok: true });
    expect(dug.text).toBe('You dig down and make harbor:cellar (The Old Cellar), with a way back up.');
    // Mistakes are answered and change nothing.
    expect((await bob.cmd('dig down vault')).text).toBe(
      'There is already an exit down (to harbor:cellar); unlink it first.',
    );
    expect((await bob.cmd('dig sideways vault')).text).toMatch(/"sideways" is not a direction/);
    expect((await bob.cmd('dig south2 quay')).text).toMatch(
      /"south2" is not a direction \(did you mean south\?\)/,
    );

    expect((await bob.walk('down')).id).toBe('harbor:cellar');
    expect((await bob.cmd('dig up x')).text).toMatch(/already an exit up/);
    expect((await bob.cmd('dig north quay')).text).toBe('Room harbor:quay already exists (The Quay).');
    expect((await bob.cmd('describe Barrels of salt fish line the damp walls.')).ok).toBe(true);
    expect((await bob.cmd('place item anchr')).text).toBe('No item "anchr" (did you mean anchor?).');
    expect((await bob.cmd('place item lantern')).text).toMatch(/You place .*lantern here/);
    expect((await bob.cmd('place npc ossa')).text).toBe('Harbourmaster Ossa now belongs here.');
    const badLink = await bob.cmd('link east harbor:qauy');
    expect(badLink.ok).toBe(false);
    expect(badLink.text).toContain('Refused, nothing changed');
    expect(badLink.text).toContain(
      'rooms.cellar.exits.east: no room "harbor:qauy" (did you mean "harbor:quay"?)',
    );
    expect((await bob.cmd('link east harbor:quay')).text).toMatch(
      /You open an exit east to harbor:quay \(The Quay\)/,
    );
    expect((await bob.cmd('link west forest:path')).ok).toBe(true);
    expect((await bob.cmd('unlink west')).text).toBe('The exit west (to forest:path) is gone.');

    // Another player walks in and finds it all.
    const room = await ann.walk('down');
    expect(room).toMatchObject({
      id: 'harbor:cellar',
      title: 'The Old Cellar',
      description: 'Barrels of salt fish line the damp walls.',
    });
    expect(room.exits.map((e: { direction: string }) => e.direction)).toEqual(['east', 'up']);
    expect(room.items.map((i: { name: string }) => i.name)).toEqual(['a brass lantern']);
    expect(room.occupants).toContainEqual({ name: 'Harbourmaster Ossa', kind: 'npc' });
    expect((await ann.walk('east')).id).toBe('harbor:quay');

    // From a zone of the other shard (forest, on shard 1): an exit into the room dug on shard 0
    // (found on disk by the loader), and through it, a handoff. Unlinked, the file is as it was.
    const forestFile = join(world, 'zones', 'forest.yaml');
    const forestBefore = readFileSync(forestFile, 'utf8');
    expect((await bob.walk('up', 'north', 'north', 'north', 'north')).id).toBe('forest:edge');
    expect((await bob.cmd('link down harbor:cellar')).text).toMatch(/You open an exit down to harbor:cellar/);
    expect(readFileSync(forestFile, 'utf8')).toContain(
      'exits: { south: harbor:north-gate, north: path, down: harbor:cellar }',
    );
    expect((await bob.walk('down')).id).toBe('harbor:cellar');
    await bob.walk('up', 'north', 'north', 'north', 'north');
    expect((await bob.cmd('unlink down')).ok).toBe(true);
    expect(readFileSync(forestFile, 'utf8')).toBe(forestBefore);

    // On disk: the new room, two changed lines, everything else byte for byte.
    const saved = readFileSync(harborFile, 'utf8');
    const { added, removed } = lineDiff(original, saved);
    expect(removed).toEqual([
      '    exits: { north: high-street, south: quay, east: fishmarket, west: lantern-inn }',
      '    spawn: customs-house',
    ]);
    expect(added).toContain(
      '    exits: { north: high-street, south: quay, east: fishmarket, west: lantern-inn, down: cellar }',
    );
    expect(added).toContain('    spawn: cellar');
    expect(parse(saved).rooms.cellar).toEqual({
      title: 'The Old Cellar',
      description: 'Barrels of salt fish line the damp walls.\n',
      exits: { up: 'square', east: 'quay' },
      items: ['lantern'],
    });

    // After a restart, the world is as built.
    await stop();
    url = await start();
    const cy = await login(url, 'cy');
    expect(await cy.walk('down')).toMatchObject({
      id: 'harbor:cellar',
      title: 'The Old Cellar',
      description: 'Barrels of salt fish line the damp walls.',
      occupants: [{ name: 'Harbourmaster Ossa', kind: 'npc' }],
    });
  });

  it('reloads a zone edited by hand, refuses a broken one, and moves players out of removed rooms', async () => {
    const url = server ? `ws://127.0.0.1:${server.port}/ws` : await start();
    const bob = await login(url, 'bob');
    const dee = await login(url, 'dee');
    await dee.walk('down');

    const edited = readFileSync(harborFile, 'utf8').replace(
      '    description: |\n      Barrels of salt fish line the damp walls.\n',
      '    description: |\n      Empty now. Someone took the barrels.\n',
    );
    writeFileSync(harborFile, edited);
    const reloaded = await bob.cmd('reload zone');
    expect(reloaded.text).toBe(
      'Reloaded zone harbor from zones/harbor.yaml: 1 room new or changed, 0 removed.',
    );
    // Dee, in the changed room, sees it change and is still playing.
    expect(await dee.next((m) => m.type === 'room' && m.description.startsWith('Empty now'))).toMatchObject({
      id: 'harbor:cellar',
    });
    expect((await dee.cmd('look')).ok).toBe(true);

    // A broken file is refused with the loader's words, and the running zone keeps what it had.
    writeFileSync(
      harborFile,
      edited.replace('exits: { up: square, east: quay }', 'exits: { up: square, east: nowhere }'),
    );
    const broken = await bob.cmd('reload zone harbor');
    expect(broken.ok).toBe(false);
    expect(broken.text).toContain('Refused, nothing changed: 1 problem in the world files:');
    expect(broken.text).toContain('zones/harbor.yaml: rooms.cellar.exits.east: no room "harbor:nowhere"');
    writeFileSync(harborFile, '{ not yaml');
    expect((await bob.cmd('reload zone')).text).toMatch(
      /Refused, nothing changed: .*zones\/harbor\.yaml: line 1/s,
    );
    expect((await dee.walk('east')).id).toBe('harbor:quay');
    expect((await dee.walk('north', 'down')).description).toMatch(/^Empty now/);

    // A zone of the other shard (forest, on shard 1) is reloaded there, and bob is told how it
    // went. It reads the whole world, as a restart would: harbour's file is broken just now.
    const forwarded = await bob.cmd('reload zone forest');
    expect(forwarded).toMatchObject({
      ok: true,
      text: 'Zone forest runs on another shard: it reloads it, and tells you how it went.',
    });
    expect((await bob.text('Reload of zone forest:')).text).toMatch(
      /^Reload of zone forest: Refused, nothing changed: .*zones\/harbor\.yaml: line 1/s,
    );
    // Unknown: refused with a hint.
    expect((await bob.cmd('reload zone harbr')).text).toBe('No zone "harbr" (did you mean harbor?).');

    // The cellar removed by hand: Dee, standing in it, is set down in the zone's first room.
    writeFileSync(harborFile, original);
    expect((await bob.cmd('reload zone')).text).toBe(
      'Reloaded zone harbor from zones/harbor.yaml: 1 room new or changed, 1 removed.',
    );
    await dee.text('The place where you stood has been unmade');
    expect(await dee.next((m) => m.type === 'room' && m.id === 'harbor:square')).toBeTruthy();
    expect((await dee.cmd('look')).ok).toBe(true);
    expect((await bob.cmd('down')).ok).toBe(false);

    // With harbour's file whole again, the forest edited by hand and reloaded from the harbour:
    // shard 1 applies it, and a player standing in the changed room there sees it.
    const forestFile = join(world, 'zones', 'forest.yaml');
    const forest = readFileSync(forestFile, 'utf8');
    const fay = await login(url, 'fay');
    await fay.walk('north', 'north', 'north');
    expect((await fay.walk('north')).id).toBe('forest:edge');
    writeFileSync(
      forestFile,
      forest.replace('The cart track from the town gate runs out of daylight', 'The cart track ends in mud'),
    );
    expect((await bob.cmd('reload zone forest')).ok).toBe(true);
    expect((await bob.text('Reloaded zone forest')).text).toBe(
      'Reloaded zone forest from zones/forest.yaml: 1 room new or changed, 0 removed.',
    );
    expect(
      (await fay.next((m) => m.type === 'room' && m.description.startsWith('The cart track ends in mud'))).id,
    ).toBe('forest:edge');
    writeFileSync(forestFile, forest);
  });

  it('reaches every shard at once: a room dug on shard 0 is known on shard 1, by teleport and by title', async () => {
    for (const c of clients.splice(0)) await c.closeAndWait();
    const url = server ? `ws://127.0.0.1:${server.port}/ws` : await start();
    const bob = await login(url, 'bob');
    const eve = await login(url, 'eve');
    expect(bob.received.find((m) => m.type === 'room')?.id).toBe('harbor:square');
    // Eve plays in the forest, on shard 1; harbour is on shard 0.
    expect((await eve.cmd('teleport forest:edge')).ok).toBe(true);
    await eve.next((m) => m.type === 'room' && m.id === 'forest:edge');
    expect((await eve.cmd('teleport harbor:vault')).text).toMatch(/^No room "harbor:vault"/);

    expect((await bob.cmd('dig down vault The Salt Vault')).ok).toBe(true);
    // Shard 1 knows the room at once, with no restart: teleport finds it, with its title.
    const there = await eve.cmd('teleport harbor:vault');
    expect(there.text).toBe('You fold the world and step through to The Salt Vault.');
    expect(await eve.next((m) => m.type === 'room' && m.id === 'harbor:vault')).toMatchObject({
      title: 'The Salt Vault',
    });
    expect((await eve.cmd('teleport forest:edge')).ok).toBe(true);
    await eve.next((m) => m.type === 'room' && m.id === 'forest:edge');

    // An exit of the forest (shard 1) into it: shard 1's room views name it by its title.
    expect((await bob.walk('north', 'north', 'north', 'north')).id).toBe('forest:edge');
    expect((await bob.cmd('link down harbor:vault')).text).toBe(
      'You open an exit down to harbor:vault (The Salt Vault). It is one way: link back from there.',
    );
    expect((await eve.cmd('look down')).text).toBe('To the down: The Salt Vault.');
    const from = eve.received.length;
    await eve.cmd('look');
    const view = await eve.next((m) => m.type === 'room' && m.id === 'forest:edge', 'room after look', from);
    expect(view.exits).toContainEqual({ direction: 'down', to: 'The Salt Vault', room: 'harbor:vault' });

    // Retitled on shard 0: a graphical client on shard 1 whose room leads there gets a fresh view.
    expect((await bob.walk('down')).id).toBe('harbor:vault');
    expect((await bob.cmd('retitle The Brine Vault')).ok).toBe(true);
    const fresh = await eve.next(
      (m) => m.type === 'room' && m.exits.some((e: { to: string }) => e.to === 'The Brine Vault'),
      'a fresh view naming the new title',
    );
    expect(fresh.id).toBe('forest:edge');
    expect((await eve.cmd('look down')).text).toBe('To the down: The Brine Vault.');
  });
});
