import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../error-codes.js';
import type { ProtocolError } from '../errors.js';
import { LineSplitter, type LineSplitterOptions } from './line-splitter.js';

type Event = string | { error: string };

/** Feeds chunks to a splitter and records lines and error codes in order. */
function split(chunks: Array<Uint8Array | string>, options?: LineSplitterOptions, end = true): Event[] {
  const events: Event[] = [];
  const splitter = new LineSplitter(
    (line) => events.push(line),
    (err: ProtocolError) => events.push({ error: err.code }),
    options,
  );
  for (const c of chunks) splitter.push(typeof c === 'string' ? Buffer.from(c) : c);
  if (end) splitter.end();
  return events;
}

const TOO_LARGE = { error: ErrorCode.LineTooLarge };
const BAD_UTF8 = { error: ErrorCode.InvalidUtf8 };

describe('LineSplitter', () => {
  it('splits complete lines in one chunk, LF and CRLF', () => {
    expect(split(['a\nb\r\nc\n'])).toEqual(['a', 'b', 'c']);
  });

  it('emits empty lines and keeps a lone CR inside a line', () => {
    expect(split(['\n\r\na\rb\n'])).toEqual(['', '', 'a\rb']);
  });

  it('joins a line split across many chunks, and a CRLF split between chunks', () => {
    expect(split(['{"type"', ':"ping"', '}\r', '\n{"a"', ':1}\n'])).toEqual(['{"type":"ping"}', '{"a":1}']);
  });

  it('holds a last line without newline until end()', () => {
    const events: string[] = [];
    const s = new LineSplitter(
      (l) => events.push(l),
      () => {},
    );
    s.push(Buffer.from('one\ntwo'));
    expect(events).toEqual(['one']);
    expect(s.bufferedBytes).toBe(3);
    s.end();
    expect(events).toEqual(['one', 'two']);
    expect(s.bufferedBytes).toBe(0);
    s.end();
    expect(events).toEqual(['one', 'two']);
  });

  it('decodes UTF-8 split across chunks at every byte offset', () => {
    const text = 'grüße 😀 €uro\nzweite Zeile ✓\r\n日本語\n';
    const bytes = Buffer.from(text);
    const expected = ['grüße 😀 €uro', 'zweite Zeile ✓', '日本語'];
    for (let i = 0; i <= bytes.length; i++) {
      expect(split([bytes.subarray(0, i), bytes.subarray(i)]), `split at ${i}`).toEqual(expected);
    }
    // And one byte at a time.
    expect(split([...bytes].map((b) => new Uint8Array([b])))).toEqual(expected);
  });

  it('accepts a line of exactly maxLineBytes, with or without CR, in one chunk or many', () => {
    const line = 'x'.repeat(8);
    expect(split([`${line}\n${line}\r\n`], { maxLineBytes: 8 })).toEqual([line, line]);
    expect(split([line.slice(0, 5), `${line.slice(5)}\r`, '\n'], { maxLineBytes: 8 })).toEqual([line]);
  });

  it('reports a line one byte too long once, and goes on with the next line', () => {
    expect(split(['123456789\nok\n'], { maxLineBytes: 8 })).toEqual([TOO_LARGE, 'ok']);
    expect(split(['123456789\r\nok\n'], { maxLineBytes: 8 })).toEqual([TOO_LARGE, 'ok']);
  });

  it('resyncs after a long line that spans many chunks, reporting it once', () => {
    const chunks = ['{"type":"cmd","line":"', ...Array(50).fill('y'.repeat(10)), '"}\n{"type":"ping"}\n'];
    expect(split(chunks, { maxLineBytes: 64 })).toEqual([TOO_LARGE, '{"type":"ping"}']);
  });

  it('resyncs when the long line ends exactly at a chunk boundary', () => {
    expect(split(['1234567890', '\n', 'ok\n'], { maxLineBytes: 8 })).toEqual([TOO_LARGE, 'ok']);
    expect(split(['123456789', '\n', 'ok\n'], { maxLineBytes: 8 })).toEqual([TOO_LARGE, 'ok']);
    expect(split(['12345678', '9\nok\n'], { maxLineBytes: 8 })).toEqual([TOO_LARGE, 'ok']);
    expect(split(['12345678', '9', 'abc', '\nok\n'], { maxLineBytes: 8 })).toEqual([TOO_LARGE, 'ok']);
  });

  it('drops a too-long last line at end() without emitting it', () => {
    expect(split(['ok\n', '1234567890'], { maxLineBytes: 8 })).toEqual(['ok', TOO_LARGE]);
    expect(split(['ok\n123456789'], { maxLineBytes: 8 })).toEqual(['ok', TOO_LARGE]);
  });

  it('keeps memory bounded while discarding a long line', () => {
    const s = new LineSplitter(
      () => {},
      () => {},
      { maxLineBytes: 1024 },
    );
    for (let i = 0; i < 1000; i++) s.push(new Uint8Array(4096).fill(0x61));
    expect(s.bufferedBytes).toBe(0);
  });

  it('reports invalid UTF-8 for its line only', () => {
    const bad = new Uint8Array([0x61, 0xff, 0x62, 0x0a]);
    expect(split(['ok\n', bad, 'next\n'])).toEqual(['ok', BAD_UTF8, 'next']);
    // A multi-byte character cut by the newline is invalid on both sides.
    const euro = Buffer.from('€');
    expect(
      split([Buffer.concat([euro.subarray(0, 2), Buffer.from('\n'), euro.subarray(2), Buffer.from('\n')])]),
    ).toEqual([BAD_UTF8, BAD_UTF8]);
    // A truncated character at the very end of the stream.
    expect(split([euro.subarray(0, 2)])).toEqual([BAD_UTF8]);
  });

  it('does not strip a BOM or treat it as whitespace', () => {
    expect(split(['\uFEFFa\n'])).toEqual(['\uFEFFa']);
  });

  it('keeps the bytes of a partial line when the caller reuses the chunk buffer (regression: splitter-keeps-bytes-of-reused-buffer)', () => {
    const events: string[] = [];
    const s = new LineSplitter(
      (l) => events.push(l),
      () => {},
    );
    const buffer = Buffer.from('hello');
    s.push(buffer);
    buffer.write('XXXXX'); // a socket reusing its read buffer
    s.push(Buffer.from(' world\n'));
    expect(events).toEqual(['hello world']);
  });

  it('accepts a plain Uint8Array and an offset view into a larger buffer', () => {
    const big = new Uint8Array(Buffer.from('garbage|a\nb\n|tail'));
    const view = big.subarray(8, 12);
    expect(split([view])).toEqual(['a', 'b']);
  });
});
