import { describe, expect, it } from 'vitest';
import { renderHelp } from './help-text.js';
import { renderInventory } from './inventory-text.js';
import { renderJournal } from './quest-text.js';
import { renderRoom } from './room-text.js';
import { listJoin } from './text.js';
import { formatDuration, renderWho } from './who-text.js';

describe('renderRoom', () => {
  it('shows the title, description, exits, items and occupants', () => {
    const text = renderRoom({
      type: 'room',
      id: 'harbor:square',
      zone: 'harbor',
      title: 'Fishmarket Square',
      description: 'Cobbles.',
      exits: [{ direction: 'north' }, { direction: 'west' }],
      items: [
        { id: 'i1', name: 'a brass lantern' },
        { id: 'i2', name: 'a coil of rope' },
      ],
      occupants: [
        { name: 'a scruffy harbour dog', kind: 'npc' },
        { name: 'Bob', kind: 'player' },
      ],
    });
    expect(text).toBe(
      'Fishmarket Square\nCobbles.\n\nExits: north, west.\nYou see a brass lantern and a coil of rope here.\nA scruffy harbour dog and Bob are here.',
    );
  });
  it('says when there is no way out and nothing here', () => {
    const text = renderRoom({
      type: 'room',
      id: 'a:b',
      zone: 'a',
      title: 'T',
      description: 'D',
      exits: [],
      items: [],
      occupants: [],
    });
    expect(text).toBe('T\nD\n\nThere is no obvious way out.');
  });
});

describe('renderWho', () => {
  it('lists players by name with where and how long', () => {
    const text = renderWho(
      [
        { name: 'zed', where: 'The Reedmarsh', roles: [], onlineSec: 3700 },
        { name: 'amy', where: 'Saltmere Harbour', roles: ['admin'], onlineSec: 5, linkDead: true },
      ],
      'the Coast',
    );
    expect(text.split('\n')).toEqual([
      '2 players walk the Coast:',
      '  amy [admin]  Saltmere Harbour    5s  (link-dead)',
      '  zed          The Reedmarsh       1h 1m',
    ]);
    expect(renderWho([], 'the Coast')).toBe('Nobody walks the Coast right now.');
  });
  it('formats durations', () => {
    expect(formatDuration(59)).toBe('59s');
    expect(formatDuration(61)).toBe('1m');
  });
});

describe('renderHelp', () => {
  const commands = [
    { name: 'look', aliases: ['l'], usage: 'look [thing]', help: 'Looks around. Or at a thing.' },
    { name: 'north', aliases: ['n'], hidden: true, help: 'Walks north.' },
    { name: 'teleport', usage: 'teleport <where>', role: 'admin', help: 'Moves you anywhere.' },
  ];
  it('lists visible commands with their usage and first sentence', () => {
    const text = renderHelp(commands, []);
    expect(text).toContain('  look [thing]  Looks around.');
    expect(text).not.toContain('north');
    expect(text).not.toContain('teleport');
    expect(renderHelp(commands, ['admin'])).toContain('teleport <where>  Moves you anywhere.');
    const long = [
      ...commands,
      { name: 'x', usage: 'x <a very long usage line that does not fit>', help: 'Does x.' },
    ];
    expect(renderHelp(long, [])).toContain(
      '  x <a very long usage line that does not fit>\n                                Does x.',
    );
  });
  it('explains one command, found by name, alias or prefix', () => {
    expect(renderHelp(commands, [], 'l')).toBe(
      'Usage: look [thing]\nAlso: l\n\nLooks around. Or at a thing.',
    );
    expect(renderHelp(commands, [], 'nor')).toContain('Walks north.');
    expect(renderHelp(commands, [], 'teleport')).toBe(
      'There is no help on "teleport". Type "help" for the list of commands.',
    );
  });
});

describe('small text helpers', () => {
  it('joins lists', () => {
    expect(listJoin([])).toBe('');
    expect(listJoin(['a'])).toBe('a');
    expect(listJoin(['a', 'b', 'c'])).toBe('a, b and c');
  });
  it('lists an inventory', () => {
    expect(renderInventory([], 0)).toBe('You are carrying nothing.\nYou have no coins.');
    expect(renderInventory(['a coin'], 1)).toBe('You are carrying:\n  a coin\nYou have 1 coin.');
  });
});

describe('renderJournal', () => {
  const now = Date.UTC(2026, 0, 1, 12);
  it('says when a repeatable quest was done and when it is offered again', () => {
    const text = renderJournal(
      [],
      [
        { id: 'once', title: 'Once Only' },
        { id: 'hourly', title: 'Every Hour', lastDone: now - 5 * 60_000, againInSec: 55 * 60 },
        { id: 'due', title: 'Due Again', lastDone: now - 2 * 3600_000, againInSec: 0 },
        { id: 'old', title: 'Done Before It Repeated', againInSec: 0 },
      ],
      now,
    );
    expect(text).toBe(
      [
        'You have no quest in progress.',
        'Quests done:',
        '  Once Only',
        '  Every Hour (done 5m ago; offered again in 55m)',
        '  Due Again (done 2h 0m ago; offered again now)',
        '  Done Before It Repeated (offered again now)',
      ].join('\n'),
    );
  });
});
