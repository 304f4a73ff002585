import { describe, expect, it } from 'vitest';
import {
  DO,
  DONT,
  ECHO,
  encodeTelnetText,
  IAC,
  SB,
  SE,
  SGA,
  TelnetDecoder,
  WILL,
  WONT,
  wordWrap,
} from './telnet-codec.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('TelnetDecoder', () => {
  it('passes plain text through and turns CR LF, CR NUL and bare CR into LF', () => {
    const d = new TelnetDecoder();
    expect(text(d.push(Buffer.from('look\r\nsay hi\r\0n\rx')).data)).toBe('look\nsay hi\nn\nx');
    expect(d.sawIac).toBe(false);
  });

  it('strips negotiation and refuses every option it did not offer', () => {
    const d = new TelnetDecoder();
    const { data, answers } = d.push(
      Uint8Array.from([IAC, DO, 0x18, ...Buffer.from('hi'), IAC, WILL, 0x1f, IAC, WONT, 1]),
    );
    expect(text(data)).toBe('hi');
    expect(answers).toEqual([IAC, WONT, 0x18, IAC, DONT, 0x1f]);
    expect(d.sawIac).toBe(true);
  });

  it('takes DO for an option it offered as agreement', () => {
    const d = new TelnetDecoder();
    d.offered(ECHO);
    expect(d.push(Uint8Array.from([IAC, DO, ECHO, IAC, DO, SGA])).answers).toEqual([IAC, WONT, SGA]);
  });

  it('skips subnegotiation and keeps an escaped 0xFF, across chunk boundaries', () => {
    const d = new TelnetDecoder();
    const a = d.push(Uint8Array.from([0x61, IAC, SB, 0x1f, 0, 80]));
    const b = d.push(Uint8Array.from([0, 24, IAC, SE, 0x62, IAC]));
    const c = d.push(Uint8Array.from([IAC, 0x63]));
    expect([...a.data, ...b.data, ...c.data]).toEqual([0x61, 0x62, IAC, 0x63]);
  });
});

describe('encodeTelnetText', () => {
  it('ends lines with CR LF', () => {
    expect(encodeTelnetText('a\nb\r\nc').toString()).toBe('a\r\nb\r\nc');
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
});
