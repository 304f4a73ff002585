import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud, WORLD_DIR } from './helpers/mud-server.js';

vi.setConfig({ testTimeout: 120_000 });

/** Seeded fights, a round every 0.75 s (as in combat.test.ts): the conger eel dies to a new character. */
const COMBAT = { world: WORLD_DIR, combatSeed: 17, combatRoundSec: 0.75, regenSec: 1 };

const BRAM_OFFER =
  'Bram leans over the bar. "Those lights in the cove. Somebody ought to tell the harbourmaster, and ' +
  'it is not going to be me: she drinks here. Walk up the high street to the customs house and tell ' +
  'Ossa what I told you. There is a coin in it."\n' +
  '[Quest: A Word for the Harbourmaster] Type "accept word-for-ossa" to take it on.';

/** Teleports (an admin's command) and waits for the room it lands in. */
async function teleport(client: MudClient, to: string): Promise<void> {
  const from = client.received.length;
  expect((await client.cmd(`teleport ${to}`)).ok).toBe(true);
  await client.next((m) => m.type === 'room' && m.id === to, to, from);
}

// The three quests of the Drowned Coast, played over the wire as a player would: a talk quest in the
// harbour (shard 0), a fetch quest and a kill quest in the marsh (shard 1), with a restart in the
// middle of the last one (an embedded store keeps the journal).
describe('quests: talk, fetch and kill in the Drowned Coast', () => {
  let data: string;
  let server: LeviathanServer | undefined;
  let url: string;
  const clients: MudClient[] = [];
  let store: { kind: string; dataDir: string };

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'lev-quests-'));
    store = { kind: 'embedded', dataDir: data };
    ({ server, url } = await startMud({ store, gameOptions: COMBAT }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await server?.close();
    if (data) await rm(data, { recursive: true, force: true });
  });

  async function login(name: string): Promise<MudClient> {
    const c = await MudClient.login(url, name);
    clients.push(c);
    return c;
  }

  async function refused(client: MudClient, line: string, answer: string): Promise<void> {
    const r = await client.cmd(line);
    expect(r.ok, line).toBe(false);
    expect(r.text).toBe(answer);
  }

  it('talk: Bram sends you to Ossa, who rewards you; taken on, abandoned, taken again, done once', async () => {
    const ann = await login('ann');
    expect((await ann.cmd('quests')).text).toBe(
      'You have taken on no quest yet. Talk to people ("talk <person>"): some of them need help.',
    );
    await refused(ann, 'talk', 'Talk to whom?');
    await refused(ann, 'talk bram', 'You see no "bram" here to talk to.');
    await refused(ann, 'accept', 'Nobody here has a quest for you.');

    await ann.walk('w');
    const offer = await ann.cmd('talk to bram');
    expect(offer).toMatchObject({ ok: true, text: BRAM_OFFER, data: { npc: 'bram' } });
    await refused(ann, 'accept lantern', 'Nobody here offers "lantern": type "accept word-for-ossa".');
    expect((await ann.cmd('accept')).text).toBe(
      'You take on A Word for the Harbourmaster for Bram the innkeeper.\nFirst, talk to Harbourmaster Ossa.',
    );
    // Taken on: no longer offered, but remembered.
    expect((await ann.cmd('talk innkeeper')).text).toBe(
      'Bram the innkeeper reminds you: A Word for the Harbourmaster: talk to Harbourmaster Ossa.',
    );
    await refused(ann, 'accept', 'Nobody here has a quest for you.');
    const journal = await ann.cmd('quests');
    expect(journal.text).toBe(
      'Quests in progress:\n  A Word for the Harbourmaster: talk to Harbourmaster Ossa.',
    );
    // `score` shows them too, one line each, and how many are done; its data carries them.
    const sheet = await ann.cmd('score');
    expect(sheet.text).toContain(
      '\n  Quests in progress:\n    A Word for the Harbourmaster: talk to Harbourmaster Ossa.\n  Quests done: 0',
    );
    const entry = {
      id: 'word-for-ossa',
      title: 'A Word for the Harbourmaster',
      step: 1,
      steps: 1,
      todo: 'talk to Harbourmaster Ossa',
    };
    expect(journal.data).toEqual({ active: [entry], done: [] });
    expect(sheet.data.quests).toEqual({ active: [entry], done: 0 });

    // Given up, it is offered again from the start.
    await refused(ann, 'abandon lantern', 'You have no quest "lantern". Type "quests" for your journal.');
    expect((await ann.cmd('abandon word')).text).toBe('You abandon A Word for the Harbourmaster.');
    expect((await ann.cmd('talk bram')).text).toBe(BRAM_OFFER);
    expect((await ann.cmd('accept word-for-ossa')).ok).toBe(true);

    await ann.walk('e', 'n', 'w');
    const told = await ann.cmd('talk ossa');
    expect(told.text).toBe(
      'Ossa writes without looking up. "Lights in the cove. Bram saw them, did he? Bram sees a great ' +
        'deal from behind that bar." She blots the page. "Tell him I have it in the ledger. And take ' +
        'this for your trouble."\n' +
        'Quest complete: A Word for the Harbourmaster!\n' +
        'You gain 30 experience and 5 coins.',
    );
    const after = await ann.cmd('score');
    expect(after.data).toMatchObject({ xp: 30, coins: 25, quests: { active: [], done: 1 } });
    expect(after.text).toContain('\n  No quest in progress.\n  Quests done: 1');
    expect((await ann.cmd('quests')).text).toBe(
      'You have no quest in progress.\nQuests done:\n  A Word for the Harbourmaster',
    );
    // Done once: Ossa and Bram have nothing more for Ann, and Bram only greets.
    expect((await ann.cmd('talk ossa')).text).toMatch(/^Ossa looks up from her ledger/);
    await ann.walk('e', 's', 'w');
    expect((await ann.cmd('talk bram')).text).toBe(
      'Bram lifts his chin at you. "Come in out of the weather. Ask me about ale, or rumours."',
    );
    await refused(ann, 'accept', 'Nobody here has a quest for you.');
  });

  it('fetch: Mother Sedge waits for a pale mushroom from the Thornwood, takes it and gives a salve', async () => {
    const root = await login('root');
    await teleport(root, 'marsh:witch-hut');
    expect((await root.cmd('talk sedge')).text).toContain(
      '[Quest: The Pale Mushroom] Type "accept pale-mushroom" to take it on.',
    );
    expect((await root.cmd('accept pale mushroom')).text).toBe(
      'You take on The Pale Mushroom for Mother Sedge.\nFirst, bring a pale mushroom to Mother Sedge.',
    );
    expect((await root.cmd('talk witch')).text).toBe(
      'Mother Sedge is waiting for a pale mushroom. (The Pale Mushroom)',
    );

    await teleport(root, 'forest:brook');
    expect((await root.cmd('get mushroom')).text).toBe('You take a pale mushroom.');
    await teleport(root, 'marsh:witch-hut');
    const given = await root.cmd('talk mother');
    expect(given.text).toBe(
      'You give a pale mushroom to Mother Sedge.\n' +
        'Mother Sedge sniffs the mushroom, bites it, and nods. "Good. Now watch." Something green goes ' +
        'into the pot and comes out a salve. "For cuts. Do not eat it."\n' +
        'Quest complete: The Pale Mushroom!\n' +
        'You gain 80 experience.\n' +
        'You receive a pot of marsh salve.',
    );
    expect((await root.cmd('inventory')).text).toBe(
      'You are carrying:\n  a pot of marsh salve\nYou have 20 coins.',
    );
  });

  it('kill: the conger eel counts for who fought it, not for Cy who watched; the journal survives a restart, Nessa pays', async () => {
    let root = clients.find((c) => c.name === 'root')!;
    // Cy walks to the marsh and takes the same quest, and watches root's kill: it is not Cy's.
    const cy = await login('cy');
    await cy.walk('s', 'w', 'w', 'w', 'w', 'w', 's');
    await cy.cmd('talk nessa');
    expect((await cy.cmd('accept')).ok).toBe(true);
    await cy.walk('n', 'w', 's');
    await teleport(root, 'marsh:eel-traps');
    expect((await root.cmd('talk nessa')).text).toContain('"accept conger-in-the-mire"');
    expect((await root.cmd('accept conger')).text).toBe(
      'You take on The Conger in the Mire for Nessa the eel-catcher.\nFirst, kill a conger eel (0/1).',
    );
    // Before the kill, Nessa only reminds.
    expect((await root.cmd('talk nessa')).text).toBe(
      'Nessa the eel-catcher reminds you: The Conger in the Mire: kill a conger eel (0/1).',
    );

    await teleport(root, 'marsh:mire');
    expect((await root.cmd('kill eel')).ok).toBe(true);
    await root.text('The conger eel dies.');
    await root.text('The Conger in the Mire: kill a conger eel (1/1).');
    await root.text('The Conger in the Mire: now talk to Nessa the eel-catcher.');
    await cy.text('The conger eel dies.');
    expect((await cy.cmd('quests')).text).toBe(
      'Quests in progress:\n  The Conger in the Mire (step 1 of 2): kill a conger eel (0/1).',
    );

    // The journal is in the character: it is saved, and read back after a restart.
    await cy.closeAndWait();
    await root.closeAndWait();
    await server!.close();
    ({ server, url } = await startMud({ store, gameOptions: COMBAT }));
    root = await login('root');
    const journal = await root.cmd('quests');
    expect(journal.text).toBe(
      'Quests in progress:\n' +
        '  The Conger in the Mire (step 2 of 2): talk to Nessa the eel-catcher.\n' +
        'Quests done:\n' +
        '  The Pale Mushroom',
    );

    await teleport(root, 'marsh:eel-traps');
    expect((await root.cmd('talk nessa')).text).toBe(
      '"Dead? Truly?" Nessa grins and counts coins into your hand. "Drinks at the inn on me, then."\n' +
        'Quest complete: The Conger in the Mire!\n' +
        'You gain 60 experience and 10 coins.',
    );
    // 80 (the mushroom) + 50 (the eel itself) + 60 (Nessa): level 2 (100), short of level 3 (300).
    expect((await root.cmd('score')).data).toMatchObject({ xp: 190, level: 2, coins: 30 });
  });
});

// `give <item> to <npc>` does a fetch step as `talk` does; anything else an NPC kindly refuses.
describe('quests: give to a person of the world', () => {
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

  it('gives the pale mushroom to Mother Sedge, with hints for typos, and she refuses what she has no use for', async () => {
    const root = await MudClient.login(url, 'root');
    clients.push(root);
    await teleport(root, 'marsh:witch-hut');
    await root.cmd('talk sedge');
    expect((await root.cmd('accept')).ok).toBe(true);
    await teleport(root, 'forest:brook');
    expect((await root.cmd('get mushroom')).ok).toBe(true);
    await teleport(root, 'marsh:witch-hut');

    const typos: Array<[string, string]> = [
      ['give mushrom to sedge', 'You carry no "mushrom" (did you mean mushroom?).'],
      ['give mushroom to sedhe', 'There is nobody called "sedhe" here (did you mean sedge?).'],
      ['give mushroom to nessa', 'There is nobody called "nessa" here.'],
    ];
    for (const [line, answer] of typos) {
      expect(await root.cmd(line), line).toMatchObject({ ok: false, text: answer });
    }
    const given = await root.cmd('give mushroom to mother sedge');
    expect(given).toMatchObject({ ok: true, data: { npc: 'sedge' } });
    expect(given.text).toBe(
      'You give a pale mushroom to Mother Sedge.\n' +
        'Mother Sedge sniffs the mushroom, bites it, and nods. "Good. Now watch." Something green goes ' +
        'into the pot and comes out a salve. "For cuts. Do not eat it."\n' +
        'Quest complete: The Pale Mushroom!\n' +
        'You gain 80 experience.\n' +
        'You receive a pot of marsh salve.',
    );
    // No quest of root's asks for the salve: refused either way round, and it stays in the pack.
    const refusal =
      'Mother Sedge shakes their head: "Thank you, but keep a pot of marsh salve; I have no need of it."';
    expect(await root.cmd('give salve to sedge')).toMatchObject({ ok: false, text: refusal });
    expect(await root.cmd('give witch salve')).toMatchObject({ ok: false, text: refusal });
    expect(await root.cmd('give salve witch')).toMatchObject({ ok: false, text: refusal });
    expect((await root.cmd('inventory')).text).toBe(
      'You are carrying:\n  a pot of marsh salve\nYou have 20 coins.',
    );
  });
});

// A repeatable quest (`repeat` in the zone file), on a copy of the example world: its giver offers
// it again once the time has passed since it was done, and that time is kept in the character.
describe('quests: repeatable', () => {
  let data: string;
  let world: string;
  let server: LeviathanServer | undefined;
  const clients: MudClient[] = [];

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'lev-quests-repeat-'));
    world = join(data, 'world');
    await cp(WORLD_DIR, world, { recursive: true });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await server?.close();
    if (data) await rm(data, { recursive: true, force: true });
  });

  /** Bram's quest made repeatable after `repeat`, and a server (re)started on it, with the store kept. */
  async function serve(repeat: string): Promise<MudClient> {
    await server?.close();
    const file = join(world, 'zones', 'harbor.yaml');
    const yaml = (await readFile(file, 'utf8')).replace(/\n {4}repeat: .*/, '');
    await writeFile(
      file,
      yaml.replace(
        '    reward: { xp: 30, coins: 5 }',
        `    reward: { xp: 30, coins: 5 }\n    repeat: ${repeat}`,
      ),
    );
    let url: string;
    ({ server, url } = await startMud({
      store: { kind: 'embedded', dataDir: join(data, 'store') },
      gameOptions: { world },
    }));
    const ann = await MudClient.login(url, 'ann');
    clients.push(ann);
    return ann;
  }

  async function doTheQuest(ann: MudClient): Promise<void> {
    expect((await ann.cmd('accept word-for-ossa')).ok).toBe(true);
    await ann.walk('e', 'n', 'w');
    expect((await ann.cmd('talk ossa')).text).toContain('Quest complete: A Word for the Harbourmaster!');
    await ann.walk('e', 's', 'w');
  }

  it('is offered again once its time has passed since it was done, a time that survives a restart', async () => {
    let ann = await serve('1h');
    await ann.walk('w');
    expect((await ann.cmd('talk bram')).text).toContain('[Quest: A Word for the Harbourmaster]');
    await doTheQuest(ann);
    // Done, and an hour is far off: Bram only greets, before a restart and after it.
    const greeting =
      'Bram lifts his chin at you. "Come in out of the weather. Ask me about ale, or rumours."';
    expect((await ann.cmd('talk bram')).text).toBe(greeting);
    await ann.closeAndWait();
    ann = await serve('1h');
    expect((await ann.cmd('talk bram')).text).toBe(greeting);
    // The journal says when it was done and when Bram offers it again, after the restart too.
    const journal = await ann.cmd('quests');
    expect(journal.text).toMatch(
      /^You have no quest in progress\.\nQuests done:\n {2}A Word for the Harbourmaster \(done \d+s ago; offered again in 59m\)$/,
    );
    expect(journal.data.done).toEqual([
      {
        id: 'word-for-ossa',
        title: 'A Word for the Harbourmaster',
        lastDone: expect.any(Number),
        againInSec: expect.any(Number),
      },
    ]);
    const [entry] = journal.data.done;
    // Done within the last minute (the test's walk and a restart), so due again in 59-60 minutes.
    expect(Date.now() - entry.lastDone).toBeLessThan(60_000);
    expect(entry.againInSec).toBeGreaterThan(59 * 60 - 60);
    expect(entry.againInSec).toBeLessThanOrEqual(3600);

    // Two seconds instead: once they have passed since it was done, Bram offers it again.
    await ann.closeAndWait();
    ann = await serve('2s');
    let offered = false;
    for (let i = 0; i < 100 && !offered; i++) {
      offered = (await ann.cmd('talk bram')).text.includes('[Quest: A Word for the Harbourmaster]');
      if (!offered) await new Promise((r) => setTimeout(r, 100));
    }
    expect(offered).toBe(true);
    await doTheQuest(ann);
    // Done twice: rewarded twice, and listed once among the quests done.
    expect((await ann.cmd('score')).data).toMatchObject({ xp: 60, quests: { active: [], done: 1 } });
    expect((await ann.cmd('quests')).text).toMatch(
      /^You have no quest in progress\.\nQuests done:\n {2}A Word for the Harbourmaster \(done \ds ago; offered again (in [12]s|now)\)$/,
    );
  });
});
