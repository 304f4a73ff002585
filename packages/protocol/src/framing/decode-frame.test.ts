import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../close-codes.js';
import { ALL_ERROR_CODES, ErrorCode } from '../error-codes.js';
import { ProtocolError } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { RequestId } from '../messages.js';
import { validateClientMessage } from '../validation/validate.js';
import { type Decoded, decodeFrame, decodeLine } from './decode-frame.js';

const codeOf = (d: Decoded | undefined) => (d instanceof ProtocolError ? d.code : 'message');
const codes = (out: Decoded[]) => out.map(codeOf);

describe('decodeFrame', () => {
  it('decodes the seed k6 auth message', () => {
    const [msg] = decodeFrame('{"type":"auth","username":"player1","token":"test-token"}');
    expect(msg).toEqual({ type: 'auth', username: 'player1', token: 'test-token' });
  });

  it('decodes several JSON lines from one frame, CRLF included', () => {
    const out = decodeFrame('{"type":"ping"}\r\n\n{"type":"cmd","id":1,"line":"look"}\n');
    expect(out).toEqual([{ type: 'ping' }, { type: 'cmd', id: 1, line: 'look' }]);
  });

  it('decodes the same from a string, a Uint8Array, a Buffer and an ArrayBuffer', () => {
    const text = '{"type":"cmd","line":"say grüße 😀","id":"x"}\n{"type":"quit"}';
    const bytes = new TextEncoder().encode(text);
    const expected = [{ type: 'cmd', line: 'say grüße 😀', id: 'x' }, { type: 'quit' }];
    expect(decodeFrame(text)).toEqual(expected);
    expect(decodeFrame(bytes)).toEqual(expected);
    expect(decodeFrame(Buffer.from(text))).toEqual(expected);
    expect(decodeFrame(bytes.buffer)).toEqual(expected);
  });

  it('gives a typed error for malformed JSON and keeps the valid lines', () => {
    const out = decodeFrame('{"type":"ping"}\n{"type":\n{"type":"quit"}');
    expect(out[0]).toEqual({ type: 'ping' });
    expect(out[1]).toBeInstanceOf(ProtocolError);
    expect((out[1] as ProtocolError).code).toBe(ErrorCode.InvalidJson);
    expect((out[1] as ProtocolError).cause).toBeInstanceOf(SyntaxError);
    expect(out[2]).toEqual({ type: 'quit' });
  });

  it('refuses prototype keys', () => {
    const [err] = decodeFrame('{"type":"cmd","line":"x","__proto__":{"admin":true}}');
    expect((err as ProtocolError).code).toBe(ErrorCode.ForbiddenKey);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('ignores empty frames and blank lines, and refuses whitespace-only lines as JSON', () => {
    expect(decodeFrame('')).toEqual([]);
    expect(decodeFrame('\n\r\n\n')).toEqual([]);
    expect(codes(decodeFrame(' '))).toEqual([ErrorCode.InvalidJson]);
  });

  it('refuses a frame over maxFrameBytes as one fatal error, whatever its form', () => {
    const limits = { ...DEFAULT_LIMITS, maxFrameBytes: 100 };
    const big = `{"type":"cmd","line":"${'x'.repeat(100)}"}`;
    for (const data of [big, Buffer.from(big), new TextEncoder().encode(big).buffer]) {
      const out = decodeFrame(data, limits);
      expect(codes(out)).toEqual([ErrorCode.FrameTooLarge]);
      expect((out[0] as ProtocolError).fatal).toBe(true);
      expect((out[0] as ProtocolError).closeCode).toBe(CloseCode.MessageTooBig);
    }
  });

  it('counts a string frame in UTF-8 bytes, not characters', () => {
    const limits = { ...DEFAULT_LIMITS, maxFrameBytes: 60, maxLineBytes: 60 };
    // 34 characters, but 58 bytes: € is 3 bytes.
    const fits = `{"type":"cmd","line":"${'€'.repeat(12)}"}`;
    expect(codes(decodeFrame(fits, limits))).toEqual(['message']);
    const over = `{"type":"cmd","line":"${'€'.repeat(13)}"}`;
    expect(over.length).toBeLessThan(60);
    expect(codes(decodeFrame(over, limits))).toEqual([ErrorCode.FrameTooLarge]);
  });

  it('refuses a line over maxLineBytes and keeps the other lines of the frame', () => {
    const limits = { ...DEFAULT_LIMITS, maxLineBytes: 40 };
    const long = `{"type":"cmd","line":"${'é'.repeat(10)}"}`; // 33 characters, 43 bytes
    expect(codes(decodeFrame(long, limits))).toEqual([ErrorCode.LineTooLarge]);
    expect(codes(decodeFrame(`{"type":"ping"}\n${long}\n{"type":"quit"}`, limits))).toEqual([
      'message',
      ErrorCode.LineTooLarge,
      'message',
    ]);
    expect(codes(decodeFrame(Buffer.from(long), limits))).toEqual([ErrorCode.LineTooLarge]);
  });

  it('decodes at most maxMessagesPerFrame lines and says so once', () => {
    const limits = { ...DEFAULT_LIMITS, maxMessagesPerFrame: 3 };
    const frame = Array(10).fill('{"type":"ping"}').join('\n');
    expect(codes(decodeFrame(frame, limits))).toEqual([
      'message',
      'message',
      'message',
      ErrorCode.TooManyMessages,
    ]);
    expect(codes(decodeFrame(Array(3).fill('{"type":"ping"}').join('\n\n'), limits))).toEqual([
      'message',
      'message',
      'message',
    ]);
  });

  it('refuses a binary frame that is not UTF-8 as a whole', () => {
    const out = decodeFrame(new Uint8Array([0x7b, 0x7d, 0x0a, 0xff]));
    expect(codes(out)).toEqual([ErrorCode.InvalidUtf8]);
  });
});

describe('decodeLine', () => {
  it('refuses control characters in cmd.line whether escaped or raw, and allows the rest', () => {
    const cases: Array<[string, string]> = [
      ['{"type":"cmd","line":"say \\u001b[31mred"}', ErrorCode.InvalidField],
      ['{"type":"cmd","line":"a\\nb"}', ErrorCode.InvalidField],
      ['{"type":"cmd","line":"a\\u0000"}', ErrorCode.InvalidField],
      ['{"type":"cmd","line":"a\u007f"}', ErrorCode.InvalidField],
      ['{"type":"cmd","line":"a\\u007f"}', ErrorCode.InvalidField],
      ['{"type":"cmd","line":"say \\"hi\\" \\\\ \\t"}', 'message'],
      ['{"type":"cmd","line":"say \\u00e9"}', 'message'],
      ['{"type":"cmd","line":"plain"}', 'message'],
      // An escape elsewhere in the line sends the check to the slow path, which still passes.
      ['{"type":"cmd","line":"plain","id":"a\\"b"}', 'message'],
    ];
    for (const [line, code] of cases) expect(codeOf(decodeLine(line)), line).toBe(code);
  });

  it('decodes and validates one line', () => {
    expect(decodeLine('{"type":"ping","t":1}')).toEqual({ type: 'ping', t: 1 });
    expect(codeOf(decodeLine('{"type":"cmd"}'))).toBe(ErrorCode.MissingField);
    expect(codeOf(decodeLine('[]'))).toBe(ErrorCode.NotAnObject);
    expect(codeOf(decodeLine('{"type":"cmd","line":"x"'))).toBe(ErrorCode.InvalidJson);
    expect(codeOf(decodeLine(''))).toBe(ErrorCode.InvalidJson);
  });
});

describe('the request id of a rejected line', () => {
  /** A line per error raised once the line has parsed as an object, its request id at `ID`. */
  const AFTER_PARSING: Array<[string, string]> = [
    [ErrorCode.MissingType, '{"username":"a","id":ID}'],
    [ErrorCode.UnknownType, '{"type":"teleport","id":ID}'],
    [ErrorCode.UnknownField, '{"type":"cmd","line":"x","admin":true,"id":ID}'],
    [ErrorCode.ForbiddenKey, '{"type":"cmd","line":"x","__proto__":{"admin":true},"id":ID}'],
    [ErrorCode.MissingField, '{"type":"cmd","id":ID}'],
    [ErrorCode.InvalidField, '{"type":"cmd","line":5,"id":ID}'],
    [ErrorCode.StringTooLong, `{"type":"cmd","line":"${'x'.repeat(1025)}","id":ID}`],
    [ErrorCode.OutOfRange, '{"type":"auth","username":"a","version":0,"id":ID}'],
    [ErrorCode.TooDeep, '{"type":"action","name":"x","args":{"a":{"b":{"c":{}}}},"id":ID}'],
    [ErrorCode.UnsupportedVersion, '{"type":"auth","username":"a","version":2,"session":"x","id":ID}'],
  ];
  /** Errors raised before there is an object to read an id from. */
  const BEFORE_PARSING: string[] = [
    ErrorCode.InvalidJson,
    ErrorCode.InvalidUtf8,
    ErrorCode.FrameTooLarge,
    ErrorCode.LineTooLarge,
    ErrorCode.TooManyMessages,
    ErrorCode.NotAnObject,
  ];
  const VALID_IDS: RequestId[] = [0, 42, Number.MAX_SAFE_INTEGER, '', 'req-9', 'x'.repeat(64)];
  const INVALID_IDS: unknown[] = [-1, 1.5, 2 ** 53, 'x'.repeat(65), true, null, {}, []];

  /** The line with `id` in it, both where the table has it (last) and as the first key. */
  const withId = (template: string, id: unknown): string[] => {
    const last = template.replace('ID', JSON.stringify(id));
    const first = `{"id":${JSON.stringify(id)},${template.replace(/,"id":ID/, '').slice(1)}`;
    return [last, first];
  };

  it('is classified for every protocol error code: after parsing it is known, before it is not', () => {
    const classified = [...AFTER_PARSING.map(([code]) => code), ...BEFORE_PARSING].sort();
    expect(classified).toEqual(ALL_ERROR_CODES.filter((c) => c.startsWith('LEV_ERR_PROTOCOL_')).sort());
  });

  it.each(AFTER_PARSING)(
    'is in `re` of %s whenever the line is an object with a valid id',
    (code, template) => {
      for (const id of VALID_IDS) {
        for (const line of withId(template, id)) {
          const decoded = [
            decodeLine(line),
            ...decodeFrame(line),
            ...decodeFrame(new TextEncoder().encode(line)),
            ...decodeFrame(`{"type":"ping"}\n${line}\r\n`).slice(1),
            validateClientMessage(JSON.parse(line)),
          ];
          for (const d of decoded) {
            expect(d, line).toBeInstanceOf(ProtocolError);
            expect((d as ProtocolError).code, line).toBe(code);
            expect((d as ProtocolError).re, line).toBe(id);
          }
        }
      }
    },
  );

  it.each(AFTER_PARSING)('is not in `re` of %s when the id itself is not valid', (code, template) => {
    for (const id of INVALID_IDS) {
      for (const line of withId(template, id)) {
        const [d] = decodeFrame(line);
        expect(d, line).toBeInstanceOf(ProtocolError);
        expect((d as ProtocolError).re, line).toBeUndefined();
        // The id is checked in its turn: an error in a field before it is still the table's (a
        // missing field is found only after every field, the bad id among them).
        if (code !== ErrorCode.MissingField && line.endsWith(`"id":${JSON.stringify(id)}}`)) {
          expect((d as ProtocolError).code, line).toBe(code);
        }
      }
    }
  });

  it('is in `re` for any object with a valid id that fails validation', () => {
    const id = fc.oneof(fc.string({ maxLength: 64 }), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER));
    const field = fc.tuple(
      fc.oneof(
        fc.constantFrom('type', 'line', 'username', 'version', 'name', 'args', 't', '__proto__'),
        fc.string(),
      ),
      fc.jsonValue({ maxDepth: 3 }),
    );
    fc.assert(
      fc.property(id, fc.array(field, { maxLength: 6 }), fc.nat(6), (id, fields, at) => {
        const entries = fields
          .filter(([key]) => key !== 'id')
          .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
        entries.splice(Math.min(at, entries.length), 0, `"id":${JSON.stringify(id)}`);
        const line = `{${entries.join(',')}}`;
        const [d] = decodeFrame(line);
        if (d instanceof ProtocolError) expect(d.re, line).toBe(id);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('deep nesting', () => {
  it('refuses a long line nesting past maxDepth before parsing it, wherever the nesting is', () => {
    const arrays = `{"type":"action","name":"x","args":{"a":${'['.repeat(3000)}${']'.repeat(3000)}}}`;
    const objects = `{"type":"cmd","line":"${'s'.repeat(600)}","x":${'{"a":'.repeat(200)}1${'}'.repeat(200)}}`;
    for (const line of [arrays, objects]) {
      const err = decodeLine(line);
      expect(codeOf(err)).toBe(ErrorCode.TooDeep);
      expect((err as ProtocolError).message).toBe('"(the message)" nests deeper than 4 levels');
    }
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = `say ${'[{'.repeat(300)} \\"quoted\\" ${'}]'.repeat(300)}`;
    const line = JSON.stringify({ type: 'cmd', line: text.slice(0, 1000), id: 1 });
    expect(line.length).toBeGreaterThan(512);
    expect(decodeLine(line)).toEqual({ type: 'cmd', line: text.slice(0, 1000), id: 1 });
    const args = { a: [1, 2, { b: 'x]]]]]]' }], s: '"{{{{{{{{' };
    const action = JSON.stringify({ type: 'action', name: 'n', args, pad: 'p'.repeat(600) });
    expect(codeOf(decodeLine(action))).toBe(ErrorCode.UnknownField);
    const valid = JSON.stringify({
      type: 'action',
      name: 'n'.repeat(60),
      args: { ...args, p: 'p'.repeat(600) },
    });
    expect(decodeLine(valid)).toEqual({
      type: 'action',
      name: 'n'.repeat(60),
      args: { ...args, p: 'p'.repeat(600) },
    });
  });
});
