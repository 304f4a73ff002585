import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_ERROR_CODES,
  CLIENT_MESSAGE_TYPES,
  type ClientMessage,
  DEFAULT_LIMITS,
  type Decoded,
  decodeFrame,
  decodeLine,
  LineSplitter,
  ProtocolError,
  validateClientMessage,
} from '../src/index.js';

const CODES = new Set<string>(ALL_ERROR_CODES);
const TYPES = new Set<string>(CLIENT_MESSAGE_TYPES);
const RUNS = 400;

/** Every result is a typed ProtocolError with a known code, or a message that validates as itself. */
function checkResult(d: Decoded): void {
  if (d instanceof ProtocolError) {
    expect(CODES.has(d.code), d.code).toBe(true);
    return;
  }
  expect(TYPES.has(d.type)).toBe(true);
  expect(validateClientMessage(d)).toBe(d);
}

function decodeAll(input: string | Uint8Array): Decoded[] {
  let out: Decoded[] = [];
  expect(() => {
    out = decodeFrame(input);
  }).not.toThrow();
  for (const d of out) checkResult(d);
  return out;
}

// ─── Generators ───────────────────────────────────────────────────────────────────────────────────

const id = fc.oneof(fc.string({ maxLength: 64 }), fc.nat());
const username = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/);
const cleanText = fc
  .string({ maxLength: 200 })
  .map((s) => s.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ''));

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Whether a JSON value holds a key the decoder refuses, at any depth. */
function holdsForbiddenKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(
    ([key, inner]) => FORBIDDEN_KEYS.includes(key) || holdsForbiddenKey(inner),
  );
}

/** Valid client messages of every type. */
const validMessage: fc.Arbitrary<ClientMessage> = fc.oneof(
  fc.record(
    {
      type: fc.constant('auth' as const),
      username,
      token: fc.string({ maxLength: 100 }),
      password: fc.string({ minLength: 1, maxLength: 50 }),
      version: fc.constant(1),
      capabilities: fc.array(fc.string({ maxLength: 32 }), { maxLength: 16 }),
      id,
    },
    { requiredKeys: ['type', 'username'] },
  ),
  fc.record(
    {
      type: fc.constant('register' as const),
      username,
      password: fc.string({ minLength: 1, maxLength: 50 }),
      id,
    },
    { requiredKeys: ['type', 'username', 'password'] },
  ),
  fc.record({ type: fc.constant('cmd' as const), line: cleanText, id }, { requiredKeys: ['type', 'line'] }),
  fc.record(
    {
      type: fc.constant('action' as const),
      name: fc.string({ minLength: 1, maxLength: 64 }),
      args: fc.dictionary(
        fc.string({ maxLength: 10 }).filter((k) => !FORBIDDEN_KEYS.includes(k)),
        // The decoder refuses these keys at any depth, so a valid message has none inside args
        // either (fast-check's JSON values do generate them, about once in 20,000 messages).
        fc.jsonValue({ maxDepth: 1 }).filter((v) => !holdsForbiddenKey(v)),
        { maxKeys: 8 },
      ),
      id,
    },
    { requiredKeys: ['type', 'name'] },
  ),
  fc.record(
    { type: fc.constant('ping' as const), t: fc.double({ noNaN: true, noDefaultInfinity: true }), id },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constant('quit' as const), id }, { requiredKeys: ['type'] }),
) as fc.Arbitrary<ClientMessage>;

const protoKey = fc.constantFrom('__proto__', 'constructor', 'prototype');

/** Adversarial lines: each one a way a hostile or broken client could write. */
const adversarialLine = fc.oneof(
  // Truncated JSON of a valid message.
  fc.tuple(validMessage, fc.nat()).map(([m, n]) => {
    const s = JSON.stringify(m);
    return s.slice(0, n % s.length);
  }),
  // A valid message with a prototype key injected at the top level or in args.
  fc.tuple(validMessage, protoKey, fc.jsonValue({ maxDepth: 2 })).map(([m, key, v]) => {
    const s = JSON.stringify(m);
    return `${s.slice(0, -1)},"${key}":${JSON.stringify(v)}}`;
  }),
  fc
    .tuple(protoKey, fc.jsonValue({ maxDepth: 2 }))
    .map(([key, v]) => `{"type":"action","name":"x","args":{"a":{"${key}":${JSON.stringify(v)}}}}`),
  // Deep nesting, as arrays and objects, in the message and in args.
  fc.integer({ min: 1, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc
    .integer({ min: 1, max: 20_000 })
    .map((n) => `{"type":"action","name":"x","args":${'{"a":'.repeat(n)}1${'}'.repeat(n + 1)}`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}`),
  // Huge lines and huge strings.
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => `{"type":"cmd","line":"${'x'.repeat(n)}"}`),
  fc
    .integer({ min: 1, max: 2_000 })
    .map((n) => `{"type":"auth","username":"a","capabilities":[${Array(n).fill('"x"').join(',')}]}`),
  // A valid message with one field replaced by any JSON value.
  fc.tuple(validMessage, fc.jsonValue({ maxDepth: 3 })).map(([m, v]) => {
    const keys = Object.keys(m);
    const key = keys[keys.length - 1] as string;
    return JSON.stringify({ ...m, [key]: v });
  }),
  // Random JSON and random text.
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    'null',
    'true',
    '0',
    '""',
    '{}',
    '[]',
    '{"type":null}',
    '{"type":"__proto__"}',
    '\u2028',
    '\uFEFF{}',
  ),
);

// ─── Properties ───────────────────────────────────────────────────────────────────────────────────

describe('fuzz: decodeFrame', () => {
  it('decodes every valid message to itself', () => {
    fc.assert(
      fc.property(validMessage, (m) => {
        const text = JSON.stringify(m);
        // Compared with what JSON itself gives back (-0 becomes 0 on the wire).
        expect(decodeAll(text)).toEqual([JSON.parse(text)]);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives a message or a typed error for adversarial lines, never throws, never pollutes', () => {
    fc.assert(
      fc.property(fc.array(adversarialLine, { minLength: 1, maxLength: 5 }), fc.boolean(), (lines, crlf) => {
        const frame = lines.join(crlf ? '\r\n' : '\n');
        decodeAll(frame);
        decodeAll(new TextEncoder().encode(frame));
        for (const line of lines) checkResult(decodeLine(line));
      }),
      { numRuns: RUNS },
    );
    expect(Object.prototype).not.toHaveProperty('admin');
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it('handles random binary frames, invalid UTF-8 included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => {
        decodeAll(bytes);
      }),
      { numRuns: RUNS },
    );
  });

  it('handles valid lines with invalid UTF-8 bytes spliced in', () => {
    const invalid = fc.constantFrom(
      [0xff],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xe2, 0x82],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
    );
    fc.assert(
      fc.property(validMessage, invalid, fc.nat(), (m, bad, at) => {
        const bytes = new TextEncoder().encode(JSON.stringify(m));
        const cut = at % (bytes.length + 1);
        const spliced = new Uint8Array([...bytes.subarray(0, cut), ...bad, ...bytes.subarray(cut)]);
        const out = decodeAll(spliced);
        expect(out.map((d) => (d as ProtocolError).code)).toEqual(['LEV_ERR_PROTOCOL_INVALID_UTF8']);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: LineSplitter', () => {
  it('gives the same lines however the stream is cut, and never throws', () => {
    const streamLine = fc.oneof(
      validMessage.map((m) => JSON.stringify(m)),
      fc.string({ unit: 'binary', maxLength: 100 }).map((s) => s.replace(/\n/g, '')),
      fc.integer({ min: 0, max: 300 }).map((n) => 'z'.repeat(n)),
    );
    fc.assert(
      fc.property(
        fc.array(streamLine, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.boolean(),
        (lines, cuts, crlf) => {
          const bytes = Buffer.from(lines.map((l) => l + (crlf ? '\r\n' : '\n')).join(''));
          const maxLineBytes = 200;
          // What a splitter must give: each line, or an error for a line over the limit.
          // (One trailing \r is a line ending; lone surrogates come back as U+FFFD, as UTF-8 has them.)
          const expected = lines.map((l) => {
            const line = crlf ? l : l.replace(/\r$/, '');
            return Buffer.byteLength(line) > maxLineBytes ? 'TOO_LARGE' : Buffer.from(line).toString();
          });
          const got: string[] = [];
          const splitter = new LineSplitter(
            (line) => {
              got.push(line);
              checkResult(decodeLine(line, DEFAULT_LIMITS));
            },
            (err) => got.push(err.code === 'LEV_ERR_PROTOCOL_LINE_TOO_LARGE' ? 'TOO_LARGE' : err.code),
            { maxLineBytes },
          );
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            splitter.push(bytes.subarray(prev, p));
            prev = p;
          }
          splitter.end();
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never throws on random binary chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 500 }), { maxLength: 20 }), (chunks) => {
        const splitter = new LineSplitter(
          (line) => checkResult(decodeLine(line)),
          (err) => expect(CODES.has(err.code)).toBe(true),
          { maxLineBytes: 256 },
        );
        expect(() => {
          for (const c of chunks) splitter.push(c);
          splitter.end();
        }).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});
