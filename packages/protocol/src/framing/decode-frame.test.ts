import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../error-codes.js';
import { ProtocolError } from '../errors.js';
import { decodeFrame } from './decode-frame.js';

describe('decodeFrame', () => {
  it('decodes the seed k6 auth message', () => {
    const [msg] = decodeFrame('{"type":"auth","username":"player1","token":"test-token"}');
    expect(msg).toEqual({ type: 'auth', username: 'player1', token: 'test-token' });
  });

  it('decodes several JSON lines from one frame, CRLF included', () => {
    const out = decodeFrame('{"type":"ping"}\r\n\n{"type":"cmd","id":1,"line":"look"}\n');
    expect(out).toEqual([{ type: 'ping' }, { type: 'cmd', id: 1, line: 'look' }]);
  });

  it('gives a typed error for malformed JSON and keeps the valid lines', () => {
    const out = decodeFrame('{"type":"ping"}\n{"type":\n{"type":"quit"}');
    expect(out[0]).toEqual({ type: 'ping' });
    expect(out[1]).toBeInstanceOf(ProtocolError);
    expect((out[1] as ProtocolError).code).toBe(ErrorCode.InvalidJson);
    expect(out[2]).toEqual({ type: 'quit' });
  });

  it('refuses prototype keys', () => {
    const [err] = decodeFrame('{"type":"cmd","line":"x","__proto__":{"admin":true}}');
    expect((err as ProtocolError).code).toBe(ErrorCode.ForbiddenKey);
  });
});
