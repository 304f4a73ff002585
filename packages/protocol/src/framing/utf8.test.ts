import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, utf8Length } from './utf8.js';

const encodeUtf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('utf8', () => {
  it('utf8Length agrees with the encoder, lone surrogates included', () => {
    for (const s of [
      '',
      'a',
      'é',
      '€',
      '😀',
      '\uD800',
      '\uDC00',
      '\uD800\u00e9',
      '\uD800\uD800\uDC00',
      'a\uDBFF',
    ]) {
      expect(utf8Length(s), JSON.stringify(s)).toBe(encodeUtf8(s).length);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => utf8Length(s) === Buffer.byteLength(s, 'utf8')),
      { numRuns: 2000 },
    );
  });

  it('decodes valid UTF-8 and throws on invalid bytes (the callers turn that into an error)', () => {
    expect(decodeUtf8(encodeUtf8('grüße 😀'))).toBe('grüße 😀');
    expect(() => decodeUtf8(new Uint8Array([0xc3]))).toThrow(TypeError);
    expect(() => decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toThrow(TypeError); // a surrogate
    expect(() => decodeUtf8(new Uint8Array([0xc0, 0xaf]))).toThrow(TypeError); // overlong '/'
    expect(decodeUtf8(encodeUtf8('a real \uFFFD stays'))).toBe('a real \uFFFD stays');
    expect(decodeUtf8(encodeUtf8('\uFEFF{}'))).toBe('\uFEFF{}'); // a BOM is kept, as text
  });
});
