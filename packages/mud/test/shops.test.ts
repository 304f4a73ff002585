import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

vi.setConfig({ testTimeout: 120_000 });

const WARES =
  'Bram the innkeeper sells:\n' +
  '  a mug of brown ale  3 coins\n' +
  '  a smoked herring    5 coins\n' +
  '  a temple candle     6 coins\n';

// A market of two shops that trade one way each: a fruit seller who buys nothing, and a
// pawnbroker who sells nothing.
const MARKET_WORLD = 'name: Market\nspawn: market:stall\n';
const MARKET_ZONE = `id: market
name: The Market
rooms:
  stall:
    title: A Fruit Stall
    description: Apples in pyramids.
    exits: { east: pawn }
  pawn:
    title: The Pawnshop
    description: Dusty shelves.
    exits: { west: stall }
items:
  apple:
    name: a red apple
    description: Shiny.
    value: 3
npcs:
  seller:
    name: a fruit seller
    description: Busy.
    spawn: stall
    shop: { sells: [apple], buys: false }
  pawnbroker:
    name: a pawnbroker
    description: Watchful.
    spawn: pawn
    shop: { sells: [] }
`;

// Shops over the wire, on the example world with an embedded store: Bram the innkeeper (in the
// Lantern Inn, west of the square) sells ale, herring and candles at 1.5 times their value and
// buys anything worth a coin at half its value. Coins and bought things survive a restart.
describe('shops: list, buy, sell, value, and money that persists', () => {
  let data: string;
  let server: LeviathanServer | undefined;
  const clients: MudClient[] = [];

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'lev-shops-'));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await server?.close();
    if (data) await rm(data, { recursive: true, force: true });
  });

  async function login(url: string, name: string): Promise<MudClient> {
    const c = await MudClient.login(url, name);
    clients.push(c);
    return c;
  }

  async function refused(client: MudClient, line: string, answer: string): Promise<void> {
    const r = await client.cmd(line);
    expect(r.ok, line).toBe(false);
    expect(r.text).toBe(answer);
  }

  it('buys, sells and values at the inn, refuses clearly, and keeps coins and goods across a restart', async () => {
    const options = { store: { kind: 'embedded', dataDir: data } };
    let url: string;
    ({ server, url } = await startMud(options));
    // `root` has the admin role (teleport) in the test verifier.
    const ann = await login(url, 'root');

    // A new character has 20 coins, in its sheet and under its pack.
    const sheet = await ann.cmd('score');
    expect(sheet.text).toContain('  You have 20 coins.');
    expect(sheet.data).toMatchObject({ coins: 20 });
    expect((await ann.cmd('inventory')).text).toBe('You are carrying nothing.\nYou have 20 coins.');
    for (const line of ['list', 'buy ale', 'sell ale', 'value ale']) {
      await refused(ann, line, 'There is no shop here.');
    }

    await ann.walk('w');
    const list = await ann.cmd('list');
    expect(list.text).toBe(`${WARES}You have 20 coins.`);
    expect(list.data).toEqual({
      shopkeeper: 'Bram the innkeeper',
      buys: true,
      wares: [
        { item: 'ale', name: 'a mug of brown ale', price: 3 },
        { item: 'herring', name: 'a smoked herring', price: 5 },
        { item: 'candle', name: 'a temple candle', price: 6 },
      ],
      coins: 20,
    });

    // Two herrings: two new instances, each with its own id.
    const first = await ann.cmd('buy herring');
    expect(first.text).toBe('You buy a smoked herring from Bram the innkeeper for 5 coins.');
    expect(first.data).toMatchObject({ name: 'a smoked herring', price: 5, coins: 15 });
    const second = await ann.cmd('buy kipper');
    expect(second.data).toMatchObject({ price: 5, coins: 10 });
    expect(second.data.item).not.toBe(first.data.item);
    const pack = await ann.cmd('inventory');
    expect(pack.text).toBe('You are carrying:\n  a smoked herring\n  a smoked herring\nYou have 10 coins.');
    expect(pack.data.map((i: { id: string }) => i.id)).toEqual([first.data.item, second.data.item]);

    // Sold back at half the value (3 → 1), never at the price asked.
    expect((await ann.cmd('value herring')).text).toBe(
      'Bram the innkeeper would give you 1 coin for a smoked herring.',
    );
    const sold = await ann.cmd('sell herring');
    expect(sold.text).toBe('You sell a smoked herring to Bram the innkeeper for 1 coin.');
    expect(sold.data).toMatchObject({ item: first.data.item, price: 1, coins: 11 });

    await ann.cmd('buy candle');
    await refused(ann, 'buy candle', 'A temple candle costs 6 coins, and you have 5 coins.');
    await refused(
      ann,
      'buy lantern',
      'Bram the innkeeper does not sell "lantern". Type "list" to see what is for sale.',
    );
    await refused(ann, 'buy', 'Buy what? Type "list" to see what is for sale.');
    await refused(ann, 'sell compass', 'You carry no "compass".');

    // A torn net from the alley is worth nothing.
    await ann.walk('w', 'n');
    await ann.cmd('get net');
    await ann.walk('s', 'e');
    expect((await ann.cmd('value net')).text).toBe(
      'Bram the innkeeper would not give a coin for a torn fishing net: it is worthless.',
    );
    await refused(
      ann,
      'sell net',
      'Bram the innkeeper will not give a coin for a torn fishing net: it is worthless.',
    );

    // Something wielded is valued as it is, but must be removed before it is sold.
    await ann.cmd('teleport forest:charcoal-camp');
    await ann.next((m) => m.type === 'room' && m.id === 'forest:charcoal-camp');
    await ann.cmd('get axe');
    await ann.cmd('wield axe');
    await ann.cmd('teleport harbor:lantern-inn');
    await ann.next((m) => m.type === 'room' && m.id === 'harbor:lantern-inn');
    expect((await ann.cmd('value axe')).text).toBe(
      "Bram the innkeeper would give you 5 coins for a woodcutter's axe.",
    );
    await refused(ann, 'sell axe', "You are using a woodcutter's axe: remove it first.");
    await ann.cmd('remove axe');
    expect((await ann.cmd('sell axe')).data).toMatchObject({ price: 5, coins: 10 });

    // What stays: 10 coins, a herring, a candle and the net, exactly, after the server restarts.
    const before = await ann.cmd('inventory');
    expect(before.text).toBe(
      'You are carrying:\n  a smoked herring\n  a temple candle\n  a torn fishing net\nYou have 10 coins.',
    );
    await ann.closeAndWait();
    await server.close();
    ({ server, url } = await startMud(options));
    const again = await login(url, 'root');
    const after = await again.cmd('inventory');
    expect(after.text).toBe(before.text);
    expect(after.data).toEqual(before.data);
    expect((await again.cmd('score')).data).toMatchObject({ coins: 10 });
    // And the herring bought before the restart sells like any other.
    expect((await again.cmd('sell herring')).data).toMatchObject({ item: second.data.item, coins: 11 });
  });

  it('refuses to buy into full hands, with the coins untouched', async () => {
    const { server: second, url } = await startMud();
    try {
      const bob = await login(url, 'bob');
      await bob.walk('w');
      await bob.cmd('buy ale');
      // Three friends spend 18 coins each on ale for Bob: 19 mugs in his hands.
      for (const name of ['cy', 'dee', 'eve']) {
        const friend = await login(url, name);
        await friend.walk('w');
        for (let i = 0; i < 6; i++) {
          expect((await friend.cmd('buy ale')).ok).toBe(true);
          expect((await friend.cmd('give ale to bob')).text).toBe('You give a mug of brown ale to bob.');
        }
        expect((await friend.cmd('score')).data).toMatchObject({ coins: 2 });
      }
      expect((await bob.cmd('buy ale')).data).toMatchObject({ coins: 14 });
      await refused(bob, 'buy ale', 'Your hands are full: drop something first.');
      expect((await bob.cmd('score')).data).toMatchObject({ coins: 14 });
      // Selling makes room again.
      expect((await bob.cmd('sell ale')).data).toMatchObject({ price: 1, coins: 15 });
      expect((await bob.cmd('buy ale')).data).toMatchObject({ coins: 12 });
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.closeAndWait()));
      await second.close();
    }
  });

  it('keeps to shops that only sell or only buy', async () => {
    const world = join(data, 'market');
    await mkdir(join(world, 'zones'), { recursive: true });
    await writeFile(join(world, 'world.yaml'), MARKET_WORLD);
    await writeFile(join(world, 'zones', 'market.yaml'), MARKET_ZONE);
    const { server: market, url } = await startMud({ gameOptions: { world }, zoneShards: { market: 0 } });
    try {
      const gil = await login(url, 'gil');
      expect((await gil.cmd('list')).text).toBe(
        'A fruit seller sells:\n  a red apple  3 coins\nYou have 20 coins.',
      );
      expect((await gil.cmd('buy apple')).data).toMatchObject({ price: 3, coins: 17 });
      await refused(gil, 'sell apple', 'A fruit seller buys nothing.');
      await refused(gil, 'value apple', 'A fruit seller buys nothing.');
      await gil.walk('e');
      expect((await gil.cmd('list')).text).toBe(
        'A pawnbroker sells nothing, but buys what is worth a coin.\nYou have 17 coins.',
      );
      await refused(
        gil,
        'buy apple',
        'A pawnbroker does not sell "apple". Type "list" to see what is for sale.',
      );
      expect((await gil.cmd('sell apple')).text).toBe('You sell a red apple to a pawnbroker for 1 coin.');
      expect((await gil.cmd('score')).data).toMatchObject({ coins: 18 });
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.closeAndWait()));
      await market.close();
    }
  });
});
