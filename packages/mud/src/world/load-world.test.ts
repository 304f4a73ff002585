import { describe, expect, it } from 'vitest';
import { WorldInvalidError, WorldSyntaxError } from '../errors.js';
import { parseWorld, type WorldSource } from './load-world.js';
import { normalizeProse } from './world-builder.js';
import { formatIssue } from './world-issue.js';

const WORLD = `name: Test World
spawn: town:square
`;
const TOWN = `id: town
name: The Town
shard: 0
rooms:
  square:
    title: Town Square
    description: |
      A square.
      Wide and cobbled.

      A second paragraph.
    exits:
      north: inn
      east: woods:path
    items: [coin]
    details:
      fountain: A dry fountain.
  inn:
    title: The Inn
    description: Warm.
    exits: { south: square }
items:
  coin:
    name: a copper coin
    keywords: [copper]
    description: Worn thin.
npcs:
  cat:
    name: a thin cat
    description: It watches you.
    spawn: square
    wander: { every: 20, chance: 0.5 }
    greet: The cat blinks at you.
    answers:
      - keywords: [milk, fish]
        reply: The cat purrs.
`;
const WOODS = `id: woods
name: The Woods
rooms:
  path:
    title: A Path
    description: Trees.
    exits: { west: town:square }
`;

function load(files: Record<string, string>) {
  const sources: WorldSource[] = Object.entries(files).map(([file, text]) => ({ file, text }));
  return parseWorld(sources, '/w');
}

function issuesOf(files: Record<string, string>): string[] {
  try {
    load(files);
  } catch (err) {
    if (err instanceof WorldInvalidError || err instanceof WorldSyntaxError)
      return err.issues.map(formatIssue);
    throw err;
  }
  throw new Error('expected the world to be invalid');
}

const base = { 'world.yaml': WORLD, 'zones/town.yaml': TOWN, 'zones/woods.yaml': WOODS };

describe('parseWorld', () => {
  it('loads zones, rooms, exits across zones, items and NPCs', () => {
    const w = load(base);
    expect(w.name).toBe('Test World');
    expect(w.spawn).toEqual(['town:square']);
    expect([...w.zones.keys()]).toEqual(['town', 'woods']);
    expect(w.zones.get('town')?.shard).toBe(0);
    const square = w.rooms.get('town:square')!;
    expect(square.exits).toEqual([
      { direction: 'north', to: 'town:inn' },
      { direction: 'east', to: 'woods:path' },
    ]);
    expect(square.description).toBe('A square. Wide and cobbled.\n\nA second paragraph.');
    expect(square.details).toEqual({ fountain: 'A dry fountain.' });
    expect(w.items.get('coin')).toMatchObject({ keywords: ['coin', 'copper'], takeable: true });
    expect(w.npcs.get('cat')).toMatchObject({
      zone: 'town',
      spawn: 'town:square',
      wander: { everySec: 20, chance: 0.5 },
      answers: [{ keywords: ['milk', 'fish'], reply: 'The cat purrs.' }],
    });
  });

  it('reads what an item adds when worn or wielded, and refuses unknown slots and huge bonuses', () => {
    const equipped = TOWN.replace(
      '    description: Worn thin.\n',
      '    description: Worn thin.\n    equip: { slot: wield, attack: 2 }\n',
    );
    expect(load({ ...base, 'zones/town.yaml': equipped }).items.get('coin')?.equip).toEqual({
      slot: 'wield',
      attack: 2,
      armor: 0,
    });
    expect(load(base).items.get('coin')?.equip).toBeUndefined();
    const issues = issuesOf({
      ...base,
      'zones/town.yaml': equipped.replace('slot: wield, attack: 2', 'slot: feat, armor: 500'),
    });
    expect(issues).toEqual([
      'zones/town.yaml: items.coin.equip.slot: "feat" is not a slot (wield, shield, head, body, hands, feet): did you mean "feet"?',
    ]);
    expect(issuesOf({ ...base, 'zones/town.yaml': equipped.replace('attack: 2', 'armor: 500') })).toEqual([
      'zones/town.yaml: items.coin.equip.armor: must be <= 20',
    ]);
  });

  it('reads item values and shops, with defaults', () => {
    const shop = TOWN.replace(
      '    description: Worn thin.\n',
      '    description: Worn thin.\n    value: 4\n',
    ).replace(
      '    greet: The cat blinks at you.\n',
      '    greet: The cat blinks at you.\n    shop: { sells: [coin] }\n',
    );
    const w = load({ ...base, 'zones/town.yaml': shop });
    expect(w.items.get('coin')?.value).toBe(4);
    expect(w.npcs.get('cat')?.shop).toEqual({ sells: ['coin'], buys: true, markup: 1 });
    const strict = shop.replace('shop: { sells: [coin] }', 'shop: { sells: [], buys: false, markup: 2.5 }');
    expect(load({ ...base, 'zones/town.yaml': strict }).npcs.get('cat')?.shop).toEqual({
      sells: [],
      buys: false,
      markup: 2.5,
    });
    expect(load(base).items.get('coin')?.value).toBe(0);
    expect(load(base).npcs.get('cat')?.shop).toBeUndefined();
  });

  it('refuses bad values and shops: unknown or worthless wares, low markups, unknown keys', () => {
    const withShop = (value: string, shop: string) =>
      issuesOf({
        ...base,
        'zones/town.yaml': TOWN.replace(
          '    description: Worn thin.\n',
          `    description: Worn thin.\n${value}`,
        ).replace(
          '    greet: The cat blinks at you.\n',
          `    greet: The cat blinks at you.\n    shop: ${shop}\n`,
        ),
      });
    expect(withShop('    value: 2\n', '{ sells: [cion, coin, coin] }')).toEqual([
      'zones/town.yaml: npcs.cat.shop.sells[2]: "coin" is listed twice',
      'zones/town.yaml: npcs.cat.shop.sells[0]: no item "cion" (did you mean "coin"?)',
    ]);
    expect(withShop('', '{ sells: [coin] }')).toEqual([
      'zones/town.yaml: npcs.cat.shop.sells[0]: item "coin" has no value, so it has no price: give it a `value`',
    ]);
    expect(withShop('    value: 1.5\n', '{ sells: [coin], markup: 0.5, buys: maybe, sels: [] }')).toEqual([
      'zones/town.yaml: items.coin.value: expected an integer, got 1.5',
      'zones/town.yaml: npcs.cat.shop.sels: unknown key (did you mean "sells"?)',
      'zones/town.yaml: npcs.cat.shop.buys: expected true or false, got the string "maybe"',
      'zones/town.yaml: npcs.cat.shop.markup: must be >= 1',
      'zones/town.yaml: npcs.cat.shop.sells[0]: item "coin" has no value, so it has no price: give it a `value`',
    ]);
    expect(withShop('    value: -1\n', '{ buys: true }')).toEqual([
      'zones/town.yaml: items.coin.value: must be >= 0',
      'zones/town.yaml: npcs.cat.shop.sells: is required',
    ]);
  });

  it('names the file and key path of an exit to a room that does not exist, with a hint', () => {
    const issues = issuesOf({ ...base, 'zones/town.yaml': TOWN.replace('north: inn', 'north: inm') });
    expect(issues).toEqual([
      'zones/town.yaml: rooms.square.exits.north: no room "town:inm" (did you mean "town:inn"?)',
    ]);
  });

  it('reports unknown keys with the closest known one', () => {
    const issues = issuesOf({ ...base, 'zones/woods.yaml': WOODS.replace('title:', 'titel:') });
    expect(issues).toContain('zones/woods.yaml: rooms.path.titel: unknown key (did you mean "title"?)');
    expect(issues).toContain('zones/woods.yaml: rooms.path.title: is required');
  });

  it('reports wrong types and unknown directions', () => {
    const issues = issuesOf({
      ...base,
      'zones/woods.yaml': WOODS.replace('west: town:square', 'wset: town:square').replace('A Path', '[1, 2]'),
    });
    expect(issues).toContain('zones/woods.yaml: rooms.path.title: expected a string, got a list');
    expect(issues).toContain('zones/woods.yaml: rooms.path.exits.wset: unknown key (did you mean "west"?)');
  });

  it('reports duplicate zone, item and npc ids with the file that has them first', () => {
    const dup = `id: town\nname: Again\nrooms:\n  x:\n    title: X\n    description: X.\nitems:\n  coin:\n    name: c\n    description: c\nnpcs:\n  cat:\n    name: c\n    description: c\n    spawn: town:square\n`;
    expect(issuesOf({ ...base, 'zones/zz.yaml': dup })).toEqual([
      'zones/zz.yaml: id: zone "town" is already defined in zones/town.yaml',
    ]);
    const dup2 = dup.replace('id: town', 'id: other').replace('spawn: town:square', 'spawn: x');
    expect(issuesOf({ ...base, 'zones/zz.yaml': dup2 })).toEqual([
      'zones/zz.yaml: items.coin: item "coin" is already defined in zones/town.yaml',
      'zones/zz.yaml: npcs.cat: npc "cat" is already defined in zones/town.yaml',
    ]);
  });

  it('refuses an NPC that spawns outside its zone', () => {
    const issues = issuesOf({
      ...base,
      'zones/town.yaml': TOWN.replace('spawn: square', 'spawn: woods:path'),
    });
    expect(issues).toEqual([
      'zones/town.yaml: npcs.cat.spawn: "woods:path" is in zone "woods", but NPCs live and wander only in their own zone ("town")',
    ]);
  });

  it('reports unknown items, unknown zones and bad spawn points', () => {
    const issues = issuesOf({
      'world.yaml': WORLD.replace('town:square', 'square'),
      'zones/town.yaml': TOWN.replace('items: [coin]', 'items: [cion]').replace(
        'east: woods:path',
        'east: wods:path',
      ),
      'zones/woods.yaml': WOODS,
    });
    expect(issues).toEqual([
      'world.yaml: spawn[0]: "square" must name its zone, as "zone:room"',
      'zones/town.yaml: rooms.square.exits.east: no zone "wods" (did you mean "woods"?)',
      'zones/town.yaml: rooms.square.items[0]: no item "cion" (did you mean "coin"?)',
    ]);
  });

  it("reads an NPC's combat, with defaults, and refuses bad figures with their paths", () => {
    const fighter = TOWN.replace(
      '    greet: The cat blinks at you.',
      '    greet: The cat blinks at you.\n    combat: { level: 2, health: 12, attack: 3, xp: 20, loot: [coin] }',
    );
    expect(load({ ...base, 'zones/town.yaml': fighter }).npcs.get('cat')?.combat).toEqual({
      level: 2,
      health: 12,
      attack: 3,
      armor: 0,
      xp: 20,
      aggressive: false,
      respawnSec: 300,
      flee: 0,
      loot: ['coin'],
    });
    expect(load(base).npcs.get('cat')?.combat).toBeUndefined();
    const bad = TOWN.replace(
      '    greet: The cat blinks at you.',
      '    combat: { level: 0, health: 5, attack: 3, xp: 1, aggressive: yes, flee: 5, loot: [cion], armour: 1 }',
    );
    expect(issuesOf({ ...base, 'zones/town.yaml': bad })).toEqual([
      'zones/town.yaml: npcs.cat.combat.armour: unknown key (did you mean "armor"?)',
      'zones/town.yaml: npcs.cat.combat.level: must be >= 1',
      'zones/town.yaml: npcs.cat.combat.aggressive: expected true or false, got the string "yes"',
      'zones/town.yaml: npcs.cat.combat.loot[0]: no item "cion" (did you mean "coin"?)',
    ]);
    const flees = TOWN.replace(
      '    greet: The cat blinks at you.',
      '    combat: { level: 1, health: 5, attack: 3, xp: 1, flee: 5 }',
    );
    expect(issuesOf({ ...base, 'zones/town.yaml': flees })).toEqual([
      'zones/town.yaml: npcs.cat.combat.flee: must be below health (5), or the NPC flees before it is hurt',
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with the line', () => {
    try {
      load({ ...base, 'zones/woods.yaml': `${WOODS}  path:\n    title: again\n` });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WorldSyntaxError);
      const e = err as WorldSyntaxError;
      expect(e.code).toBe('LEV_ERR_WORLD_SYNTAX');
      expect(formatIssue(e.issues[0]!)).toMatch(/^zones\/woods\.yaml: line 8, column 3: .*[Uu]nique/);
    }
  });

  it('collects every problem of every file in one error whose message lists them', () => {
    try {
      load({ 'world.yaml': 'nam: x\n', 'zones/a.yaml': 'id: A\n' });
      expect.unreachable();
    } catch (err) {
      const e = err as WorldInvalidError;
      expect(e.code).toBe('LEV_ERR_WORLD_INVALID');
      expect(e.message).toContain('world.yaml: nam: unknown key (did you mean "name"?)');
      expect(e.message).toContain('zones/a.yaml: id: "A" does not match');
      expect(e.message).toContain('zones/a.yaml: rooms: is required');
    }
  });
});

describe('normalizeProse', () => {
  it('joins wrapped lines and keeps paragraphs', () => {
    expect(normalizeProse('a\nb\n\n\nc  \n d\n')).toBe('a b\n\nc d');
  });
});
