import { describe, expect, it } from 'vitest';
import { CloseCode, closeCodeName } from './close-codes.js';

describe('CloseCode', () => {
  it('uses each code once, in the RFC 6455 ranges a server may send', () => {
    const codes = Object.values(CloseCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      // 1004-1006 and 1015 are reserved: never sent in a close frame (RFC 6455 §7.4.1).
      const standard = code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code);
      expect(standard || (code >= 4000 && code <= 4999), String(code)).toBe(true);
    }
  });

  it('names codes for logs and metrics', () => {
    expect(closeCodeName(4008)).toBe('UnsupportedVersion');
    expect(closeCodeName(CloseCode.Normal)).toBe('Normal');
    expect(closeCodeName(4999)).toBe('unknown');
  });
});
