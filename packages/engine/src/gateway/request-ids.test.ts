import { decodeFrame, ErrorCode, ProtocolError } from '@leviathan/protocol';
import { describe, expect, it } from 'vitest';
import { mayCarryId, requestIdsOf } from './request-ids.js';

describe('requestIdsOf', () => {
  it('lines up with decodeFrame and reads ids of the protocol shape only', () => {
    const frame =
      '{"type":"cmd","line":"x","id":1,"bogus":true}\r\n\n{"type":"nope","id":"abc"}\n{bad json\n{"type":"cmd","id":-1}\n{"type":"cmd","id":"' +
      'z'.repeat(65) +
      '"}';
    const decoded = decodeFrame(frame);
    const ids = requestIdsOf(frame);
    expect(ids).toHaveLength(decoded.length);
    expect(ids).toEqual([1, 'abc', undefined, undefined, undefined]);
    expect(decoded.every((d) => d instanceof ProtocolError)).toBe(true);
    expect((decoded[0] as ProtocolError).code).toBe(ErrorCode.UnknownField);
    expect(mayCarryId(decoded[0] as ProtocolError)).toBe(true);
    expect(mayCarryId(decoded[2] as ProtocolError)).toBe(false);
  });
});
