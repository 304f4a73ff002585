import { describe, expect, it } from 'vitest';
import { Colour, RESET, stripAnsi } from './ansi.js';
import { DO, encodeTelnetText, IAC, SB, SE, TelnetDecoder, WILL, WONT, wordWrap } from './telnet-codec.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

/** A decoder that records the commands it parses. */
function recording(maxSub?: number) {
  const negotiations: number[][] = [];
  const subs: Array<[number, number[]]> = [];
  const decoder = new TelnetDecoder(
    {
      negotiate: (verb, option) => negotiations.push([verb, option]),
      subnegotiate: (option, payload) => subs.push([option, [...payload]]),
    },
    maxSub,
  );
  return { decoder, negotiations, subs };
}

describe('TelnetDecoder', () => {
  it('passes plain text through and turns CR LF, CR NUL and bare CR into LF', () => {
    const d = new TelnetDecoder();
    expect(text(d.push(Buffer.from('look\r\nsay hi\r\0n\rx')))).toBe('look\nsay hi\nn\nx');
    expect(d.sawIac).toBe(false);
  });

  it('separates negotiation from text', () => {
    const { decoder, negotiations } = recording();
    const data = decoder.push(
      Uint8Array.from([IAC, DO, 0x18, ...Buffer.from('hi'), IAC, WILL, 0x1f, IAC, WONT, 1]),
    );
    expect(text(data)).toBe('hi');
    expect(negotiations).toEqual([
      [DO, 0x18],
      [WILL, 0x1f],
      [WONT, 1],
    ]);
    expect(decoder.sawIac).toBe(true);
  });

  it('reads subnegotiation across chunk boundaries, unescapes IAC IAC in it, and keeps an escaped 0xFF', () => {
    const { decoder, subs } = recording();
    const a = decoder.push(Uint8Array.from([0x61, IAC, SB, 0x1f, 0, 80]));
    const b = decoder.push(Uint8Array.from([0, IAC, IAC, IAC, SE, 0x62, IAC]));
    const c = decoder.push(Uint8Array.from([IAC, 0x63]));
    expect([...a, ...b, ...c]).toEqual([0x61, 0x62, IAC, 0x63]);
    expect(subs).toEqual([[0x1f, [0, 80, 0, IAC]]]);
  });

  it('drops a subnegotiation over the cap, and a broken one, and goes on decoding', () => {
    const { decoder, subs, negotiations } = recording(16);
    const huge = new Uint8Array(100_000).fill(0x41);
    expect(decoder.push(Uint8Array.from([IAC, SB, 201, ...huge.subarray(0, 50_000)]))).toHaveLength(0);
    decoder.push(Uint8Array.from([...huge.subarray(50_000), IAC, SE, ...Buffer.from('ok')]));
    // IAC WILL inside a subnegotiation: the SB is dropped, the WILL is taken.
    const after = decoder.push(Uint8Array.from([IAC, SB, 31, 0, IAC, WILL, 31, ...Buffer.from('!')]));
    expect(text(after)).toBe('!');
    expect(subs).toEqual([]);
    expect(negotiations).toEqual([[WILL, 31]]);
    decoder.push(Uint8Array.from([IAC, SB, 31, 0, 90, 0, 30, IAC, SE]));
    expect(subs).toEqual([[31, [0, 90, 0, 30]]]);
  });
});

describe('encodeTelnetText', () => {
  it('ends lines with CR LF and doubles 0xFF', () => {
    expect(encodeTelnetText('a\nb\r\nc').toString()).toBe('a\r\nb\r\nc');
    expect([...encodeTelnetText('ÿ')]).toEqual([0xc3, 0xbf]);
  });
});

describe('wordWrap', () => {
  it('wraps long lines at word boundaries and keeps line breaks', () => {
    expect(wordWrap('one two three four', 9)).toBe('one two\nthree\nfour');
    expect(wordWrap('short\n\nlines', 9)).toBe('short\n\nlines');
    expect(wordWrap('  indented words here', 12)).toBe('  indented\n  words here');
    expect(wordWrap('unbreakableword', 5)).toBe('unbreakableword');
    expect(wordWrap('no wrap', 0)).toBe('no wrap');
  });

  it('wraps coloured text by its visible width and never splits a colour code', () => {
    const coloured = `${Colour.roomTitle}one two three four${RESET}`;
    const wrapped = wordWrap(coloured, 9);
    expect(stripAnsi(wrapped)).toBe('one two\nthree\nfour');
    expect(wrapped.startsWith(Colour.roomTitle)).toBe(true);
    expect(wrapped.endsWith(RESET)).toBe(true);
    // Exactly 9 visible columns fit in 9, however long the codes make the string.
    expect(wordWrap(`${Colour.say}abcd${RESET} ${Colour.tell}efgh${RESET}`, 9)).not.toContain('\n');
  });
});
