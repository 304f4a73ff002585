import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

// Real servers, threads and browsers on a shared 2-core machine: every wait is event-driven,
// and this bound only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

// Scripted sessions over the real server: uWS gateway, two shard workers, the MUD on the example
// world. The harbour is on shard 0 and the Thornwood on shard 1, so walking north out of town is a
// handoff between threads.
let server: LeviathanServer;
let url: string;
const clients: MudClient[] = [];

beforeAll(async () => {
  ({ server, url } = await startMud());
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.closeAndWait()));
  await server?.close();
});

async function login(name: string): Promise<MudClient> {
  const c = await MudClient.login(url, name);
  clients.push(c);
  return c;
}

describe('two players on the Drowned Coast', () => {
  it('meet, talk, give an item, cross a shard boundary, and find each other with who and tell', async () => {
    const ann = await login('ann');
    const bob = await login('bob');

    // They meet in the square: Ann sees Bob arrive, and Bob's room lists Ann.
    const arrival = await ann.next((m) => m.type === 'presence' && m.name === 'bob');
    expect(arrival).toMatchObject({ event: 'arrive', kind: 'player' });
    const look = await bob.cmd('look');
    expect(look.text).toContain('Fishmarket Square');
    expect(look.text).toMatch(/ann.* here\./);

    // Talk: the structured chat and the text beside it.
    expect((await ann.cmd('say Hello, Bob!')).text).toBe("You say, 'Hello, Bob!'");
    expect(await bob.next((m) => m.type === 'chat')).toMatchObject({
      channel: 'say',
      from: 'ann',
      text: 'Hello, Bob!',
    });
    await bob.text("ann says, 'Hello, Bob!'");
    await ann.cmd(':waves');
    await bob.text('ann waves.');

    // Ann fetches a herring from the fish stalls (east) and gives it to Bob.
    await ann.walk('e');
    await bob.next(
      (m) => m.type === 'presence' && m.event === 'depart' && m.name === 'ann' && m.direction === 'east',
    );
    expect((await ann.cmd('get herring')).text).toBe('You take a smoked herring.');
    // Graphical clients get the room again, without the herring.
    const stalls = await ann.next((m) => m.type === 'room' && m.id === 'harbor:fishmarket');
    expect(stalls.items).toEqual([]);
    await ann.walk('w');
    await bob.text('ann arrives from the east.');
    expect((await ann.cmd('give herring to bob')).text).toBe('You give a smoked herring to bob.');
    await bob.text('ann gives you a smoked herring.');
    expect((await bob.cmd('i')).text).toBe('You are carrying:\n  a smoked herring\nYou have 20 coins.');
    expect((await ann.cmd('inventory')).text).toBe('You are carrying nothing.\nYou have 20 coins.');

    // Bob walks north out of town into the Thornwood: shard 0 → shard 1, carrying the herring.
    await bob.walk('n', 'n', 'n');
    const forest = await bob.walk('n');
    expect(forest).toMatchObject({
      type: 'room',
      id: 'forest:edge',
      zone: 'forest',
      title: 'Edge of the Thornwood',
    });
    expect((await bob.cmd('inv')).text).toContain('a smoked herring');
    expect((await bob.cmd('look')).text).toContain('Edge of the Thornwood');

    // who, from either shard, lists both, with where they are.
    const who = await ann.cmd('who');
    expect(who.text).toContain('2 players walk The Drowned Coast');
    expect(who.text).toMatch(/ann\s+Saltmere Harbour/);
    expect(who.text).toMatch(/bob\s+The Thornwood/);
    expect((await bob.cmd('who')).text).toMatch(/ann\s+Saltmere Harbour/);

    // tell reaches across shards, both ways, with the structured chat.
    expect((await ann.cmd('tell bob Where are you?')).text).toBe("You tell bob, 'Where are you?'");
    expect(await bob.next((m) => m.type === 'chat' && m.channel === 'tell')).toMatchObject({
      from: 'ann',
      to: 'bob',
      text: 'Where are you?',
    });
    await bob.text("ann tells you, 'Where are you?'");
    await bob.cmd('whisper ann In the woods.');
    await ann.text("bob tells you, 'In the woods.'");

    // shout reaches everyone on every shard.
    await bob.cmd('shout Anyone out there?');
    await ann.text("bob shouts, 'Anyone out there?'");

    // Bob walks back across the boundary and finds Ann where who said.
    await bob.walk('s', 's', 's');
    const square = await bob.walk('s');
    expect(square.id).toBe('harbor:square');
    expect(square.occupants).toContainEqual({ name: 'ann', kind: 'player' });

    // The herring crossed the boundary twice in Bob's pack; he drops it and Ann picks it up.
    expect((await bob.cmd('drop herring')).text).toBe('You drop a smoked herring.');
    await ann.text('bob drops a smoked herring.');
    const floor = await ann.next((m) => m.type === 'room' && m.items.length > 0);
    expect(floor.items.map((i: { name: string }) => i.name)).toEqual(['a smoked herring']);
    expect((await ann.cmd('take smoked')).text).toBe('You take a smoked herring.');
    expect(await bob.cmd('drop herring')).toMatchObject({ ok: false, text: 'You carry no "herring".' });
  });

  it('answers typos with "did you mean", takes abbreviations, and refuses what cannot be done', async () => {
    const cat = await login('cat');
    const typo = await cat.cmd('lokk');
    expect(typo).toMatchObject({ ok: false });
    expect(typo.text).toContain('Did you mean "look"?');
    expect((await cat.cmd('exa fountain')).text).toContain("dolphin's basin");
    expect((await cat.cmd("'hello there")).text).toBe("You say, 'hello there'");
    expect(await cat.cmd('go sideways')).toMatchObject({ ok: false, text: '"sideways" is not a direction.' });
    expect(await cat.cmd('up')).toMatchObject({ ok: false, text: 'You cannot go up from here.' });
    expect(await cat.cmd('tell nobody hi')).toMatchObject({ ok: false });
    expect(await cat.cmd('teleport cliffs:cove')).toMatchObject({ ok: false });
    await cat.walk('s');
    expect(await cat.cmd('get anchor')).toMatchObject({
      ok: false,
      text: 'You cannot take a rusted anchor.',
    });
  });

  it('has NPCs that greet arrivals and answer keywords', async () => {
    const dee = await login('dee');
    await dee.walk('w'); // the Lantern Inn, where Bram keeps the bar
    await dee.text('Bram lifts his chin at you.');
    await dee.cmd('say any rumours tonight?');
    await dee.text('Lights in the cove at night.');
  });
});

describe('help', () => {
  it('is generated from the command definitions, and hides admin commands from players', async () => {
    const eve = await login('eve');
    const help = (await eve.cmd('help')).text as string;
    expect(help.split('\n')[0]).toBe('Commands:');
    for (const usage of [
      'look [thing]',
      'go <direction>',
      'say <text>',
      'tell <player> <text>',
      'shout <text>',
      'who',
      'inventory',
      'get <item> | get all',
      'drop <item> | drop all',
      'give <item> to <player>',
      'examine <thing>',
      'help [command]',
      'quit',
    ]) {
      expect(help).toContain(`  ${usage}`);
    }
    expect(help).not.toContain('teleport');
    expect((await eve.cmd('help get')).text).toBe(
      'Usage: get <item> | get all\nAlso: take, pick\n\nPicks up an item lying in the room ("get lantern", "get 2.coin", "get all").',
    );
    expect((await eve.cmd('help teleport')).text).toContain('There is no help on "teleport"');
  });
});

describe('admin commands', () => {
  it('teleport and broadcast work for the admin role only', async () => {
    const root = await login('root');
    const fay = await login('fay');
    expect((await root.cmd('help')).text).toContain('teleport <zone:room> | teleport <player>');
    await root.cmd('teleport marsh:witch-hut');
    const hut = await root.next((m) => m.type === 'room' && m.id === 'marsh:witch-hut');
    expect(hut.title).toBe("Mother Sedge's Hut");
    await root.cmd('broadcast The tide is turning.');
    await fay.text('[Notice from root] The tide is turning.');
    expect(await fay.cmd('broadcast hi')).toMatchObject({ ok: false });
    await fay.cmd('teleport root');
    expect((await fay.cmd('look')).text).not.toContain("Mother Sedge's Hut");
    await root.cmd('teleport fay');
    const back = await root.next((m) => m.type === 'room' && m.id === 'harbor:square');
    expect(back.occupants).toContainEqual({ name: 'fay', kind: 'player' });
  });
});
