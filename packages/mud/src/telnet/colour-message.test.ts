import { describe, expect, it } from 'vitest';
import { Colour, RESET, stripAnsi } from './ansi.js';
import { colourForLine } from './colour-message.js';

describe('colourForLine', () => {
  const room = 'The Quay\nTimbers black with tar.\n\nExits: north, east.\nYou see an anchor here.';

  it("colours a room's title and exits, and nothing else of it", () => {
    const out = colourForLine({ type: 'reply' }, room, 'The Quay');
    expect(out.split('\n')).toEqual([
      `${Colour.roomTitle}The Quay${RESET}`,
      'Timbers black with tar.',
      '',
      `${Colour.exits}Exits: north, east.${RESET}`,
      'You see an anchor here.',
    ]);
    expect(stripAnsi(out)).toBe(room);
  });

  it('leaves text that is not the room alone, though it shares the channel', () => {
    const text = 'Ann arrives from the north.';
    expect(colourForLine({ type: 'text', channel: 'room' }, text, 'The Quay')).toBe(text);
  });

  it('colours talk by channel and errors in red', () => {
    expect(colourForLine({ type: 'text', channel: 'tell' }, 'Ann tells you, hi', undefined)).toBe(
      `${Colour.tell}Ann tells you, hi${RESET}`,
    );
    expect(colourForLine({ type: 'error' }, 'No such thing.', undefined)).toBe(
      `${Colour.error}No such thing.${RESET}`,
    );
  });
});
