import type { VitalsMessage } from '@leviathan/protocol';
import { describe, expect, it } from 'vitest';
import {
  charQuests,
  charStatus,
  charVitals,
  decodeGmcp,
  encodeGmcp,
  GmcpSupports,
  roomInfo,
  roomNumber,
} from './gmcp.js';
import { encodeMssp } from './mssp.js';
import { IAC, SB, SE } from './telnet-codec.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('GMCP', () => {
  it('frames a message with its JSON, and reads one back', () => {
    const frame = encodeGmcp('Char.Status', { name: 'Ann' });
    expect([...frame.subarray(0, 3)]).toEqual([IAC, SB, 201]);
    expect([...frame.subarray(-2)]).toEqual([IAC, SE]);
    expect(frame.subarray(3, -2).toString()).toBe('Char.Status {"name":"Ann"}');
    expect(decodeGmcp(frame.subarray(3, -2))).toEqual({ message: 'Char.Status', data: { name: 'Ann' } });
    expect(decodeGmcp(bytes('Core.Ping'))).toEqual({ message: 'Core.Ping', data: undefined });
  });

  it('drops what is not GMCP: bad JSON, bad UTF-8, a bad package name', () => {
    expect(decodeGmcp(bytes('Core.Hello {oops'))).toBeUndefined();
    expect(decodeGmcp(Uint8Array.from([0xc3, 0x28]))).toBeUndefined();
    expect(decodeGmcp(bytes('{"a":1}'))).toBeUndefined();
  });

  it('sends every package until the client says which it supports', () => {
    const s = new GmcpSupports();
    expect(s.has('Room.Info')).toBe(true);
    expect(s.receive('Core.Hello', {})).toBe(false);
    expect(s.receive('Core.Supports.Set', ['Room 1', 'Char 1'])).toBe(true);
    expect(s.has('Room.Info')).toBe(true);
    expect(s.has('Comm.Channel.Text')).toBe(false);
    s.receive('Core.Supports.Add', ['Comm 1']);
    s.receive('Core.Supports.Remove', ['Room']);
    expect(s.has('Comm.Channel.Text')).toBe(true);
    expect(s.has('Room.Info')).toBe(false);
    s.receive('Core.Supports.Set', 'not a list');
    expect(s.has('Comm.Channel.Text')).toBe(true);
  });

  it('gives mappers Room.Info with stable numbers and short exit names', () => {
    const info = roomInfo({
      id: 'harbor:square',
      zone: 'harbor',
      title: 'Fishmarket Square',
      exits: [
        { direction: 'north', room: 'harbor:high-street' },
        { direction: 'in', room: 'harbor:inn' },
        { direction: 'west' },
      ],
    });
    expect(info).toEqual({
      num: roomNumber('harbor:square'),
      id: 'harbor:square',
      name: 'Fishmarket Square',
      area: 'harbor',
      zone: 'harbor',
      exits: { n: roomNumber('harbor:high-street'), in: roomNumber('harbor:inn') },
    });
    expect(roomNumber('harbor:square')).toBe(roomNumber('harbor:square'));
    expect(roomNumber('harbor:square')).not.toBe(roomNumber('harbor:quay'));
    expect(roomNumber('x')).toBeGreaterThan(0);
  });
});

describe('MSSP', () => {
  it('encodes variables, lists as repeated values, and leaves out bytes that would break the frame', () => {
    const frame = encodeMssp({ NAME: 'Sea\u0001side', PLAYERS: 3, PORT: [4000, 4001] });
    expect([...frame]).toEqual([
      IAC,
      SB,
      70,
      1,
      ...bytes('NAME'),
      2,
      ...bytes('Seaside'),
      1,
      ...bytes('PLAYERS'),
      2,
      ...bytes('3'),
      1,
      ...bytes('PORT'),
      2,
      ...bytes('4000'),
      2,
      ...bytes('4001'),
      IAC,
      SE,
    ]);
  });

  it('makes Char.Vitals and Char.Status from the vitals, in the IRE form: strings of digits', () => {
    const v: VitalsMessage = {
      type: 'vitals',
      health: 12,
      maxHealth: 35,
      energy: 0,
      maxEnergy: 23,
      level: 2,
      xp: 140,
      toNextLevel: 160,
    };
    expect(charVitals(v)).toEqual({ hp: '12', maxhp: '35', mp: '0', maxmp: '23' });
    expect(charStatus('ann', v)).toEqual({ name: 'ann', level: '2', xp: '140' });
    // Before the game sent any vitals: the name alone.
    expect(charStatus('ann', undefined)).toEqual({ name: 'ann' });
  });

  it("makes Char.Quests of the game's quests event, controls stripped, and drops a malformed one whole", () => {
    const quest = { id: 'q', title: 'The \u001b[2JQuest', step: 1, steps: 2, todo: 'talk to Ossa' };
    expect(charQuests({ active: [quest], done: 3 })).toEqual({
      active: [{ id: 'q', title: 'The [2JQuest', step: 1, steps: 2, todo: 'talk to Ossa' }],
      done: 3,
    });
    expect(charQuests({ active: [], done: 0 })).toEqual({ active: [], done: 0 });
    for (const bad of [
      null,
      'quests',
      { active: [] },
      { active: {}, done: 1 },
      { active: [{ ...quest, step: '1' }], done: 0 },
    ]) {
      expect(charQuests(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
