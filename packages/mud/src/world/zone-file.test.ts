import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lineDiff } from '../../test/helpers/line-diff.js';
import { writeFileAtomic } from './write-atomic.js';
import { spliceChange, ZoneFile } from './zone-file.js';

const ZONE = `# The town: comments, flow styles and key order must survive edits.
id: town
name: The Town

rooms:
  # The heart of the town.
  square:
    title: Town Square
    description: |
      A square.
      Wide and cobbled.
    exits: { north: inn }
    items: [coin]
    details:
      fountain: A dry fountain whose basin is full of bent pins thrown for luck by the people of the town.

  inn:
    title: The Inn # warm
    description: Warm.
    exits: { south: square }

items:
  coin:
    name: a copper coin
    description: Worn thin.

npcs:
  cat:
    name: a thin cat
    description: It watches you.
    spawn: square
`;

describe('ZoneFile', () => {
  it('adds a room at the end of rooms, leaving every other line as it was', () => {
    const file = new ZoneFile(ZONE);
    file.addRoom('cellar', 'The Cellar', 'Dark and damp.', { up: 'inn' });
    expect(lineDiff(ZONE, file.text)).toEqual({
      added: [
        '  cellar:',
        '    title: The Cellar',
        '    description: |',
        '      Dark and damp.',
        '    exits: { up: inn }',
        '',
      ],
      removed: [],
    });
    // After the inn, before the items, after a blank line.
    expect(file.text).toContain('    exits: { south: square }\n\n  cellar:\n');
    expect(file.text).toContain('    exits: { up: inn }\n\nitems:\n');
    expect(parse(file.text).rooms.cellar).toEqual({
      title: 'The Cellar',
      description: 'Dark and damp.\n',
      exits: { up: 'inn' },
    });
  });

  it('sets and removes exits in the flow map the file has, changing only that line', () => {
    const file = new ZoneFile(ZONE);
    file.setExit('square', 'down', 'cellar');
    expect(lineDiff(ZONE, file.text)).toEqual({
      added: ['    exits: { north: inn, down: cellar }'],
      removed: ['    exits: { north: inn }'],
    });
    file.removeExit('square', 'down');
    expect(file.text).toBe(ZONE);
    file.removeExit('inn', 'south');
    expect(parse(file.text).rooms.inn).toEqual({ title: 'The Inn', description: 'Warm.' });
    expect(file.text).toContain('    title: The Inn # warm\n');
  });

  it('creates exits and items where a room had none, in flow style', () => {
    const file = new ZoneFile(ZONE);
    file.removeExit('inn', 'south');
    file.setExit('inn', 'east', 'woods:path');
    file.addRoomItem('inn', 'coin');
    expect(parse(file.text).rooms.inn).toEqual({
      title: 'The Inn',
      description: 'Warm.',
      exits: { east: 'woods:path' },
      items: ['coin'],
    });
    expect(file.text).toContain('    exits: { east: woods:path }\n    items: [ coin ]\n');
  });

  it('writes descriptions as | blocks and titles in place, keeping comments', () => {
    const file = new ZoneFile(ZONE);
    file.setRoomText('inn', 'description', 'Low beams and a fire.');
    file.setRoomText('square', 'title', 'The Old Square');
    expect(lineDiff(ZONE, file.text)).toEqual({
      added: ['    title: The Old Square', '    description: |', '      Low beams and a fire.'],
      removed: ['    title: Town Square', '    description: Warm.'],
    });
    expect(file.text).toContain('  # The heart of the town.\n');
  });

  it('quotes what YAML would misread, so the text reads back as typed', () => {
    const file = new ZoneFile(ZONE);
    const title = 'Key: "the # room" - [yes]';
    const description = '# not a comment: {a: b}, - item, & anchor *alias ? | > %';
    file.setRoomText('inn', 'title', title);
    file.setRoomText('inn', 'description', description);
    file.addRoom('attic', '@home: yes', '  - leading dash', {});
    const data = parse(file.text);
    expect(data.rooms.inn).toMatchObject({ title, description: `${description}\n` });
    expect(data.rooms.attic).toEqual({ title: '@home: yes', description: '  - leading dash\n' });
  });

  it("moves an NPC's spawn, and refuses an NPC the file does not define", () => {
    const file = new ZoneFile(ZONE);
    file.setNpcSpawn('cat', 'inn');
    expect(lineDiff(ZONE, file.text)).toEqual({ added: ['    spawn: inn'], removed: ['    spawn: square'] });
    expect(() => file.setNpcSpawn('dog', 'inn')).toThrow('npc "dog" is not defined in this zone file');
  });

  it('leaves the example world byte-identical outside an edit', () => {
    const dir = fileURLToPath(new URL('../../../../examples/mud/world/zones', import.meta.url));
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      const rooms = Object.keys(parse(text).rooms);
      const file = new ZoneFile(text);
      file.addRoomItem(rooms[0]!, 'x');
      const { added, removed } = lineDiff(text, file.text);
      expect(removed.length, name).toBeLessThanOrEqual(1);
      expect(added.length, name).toBe(1);
    }
  });
});

describe('spliceChange', () => {
  it('takes the changed lines from the printing and the rest from the file', () => {
    expect(
      spliceChange('a: [x]\nb: 1\nc: [y]\n', 'a: [ x ]\nb: 1\nc: [ y ]\n', 'a: [ x ]\nb: 2\nc: [ y ]\n'),
    ).toBe('a: [x]\nb: 2\nc: [y]\n');
  });
  it('gives up when the file and its printing do not map line for line', () => {
    expect(spliceChange('a: 1\n\n\nb: 2\n', 'a: 1\n\nb: 2\n', 'a: 1\n\nb: 3\n')).toBeUndefined();
  });
});

describe('writeFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lev-atomic-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('replaces the file and leaves no temporary file behind', () => {
    const path = join(dir, 'zone.yaml');
    writeFileAtomic(path, 'one\n');
    writeFileAtomic(path, 'two\n');
    expect(readFileSync(path, 'utf8')).toBe('two\n');
    expect(readdirSync(dir)).toEqual(['zone.yaml']);
  });
  it('leaves the old file when the write fails', () => {
    const path = join(dir, 'missing-dir', 'zone.yaml');
    expect(() => writeFileAtomic(path, 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['zone.yaml']);
  });
});
