import { deepStrictEqual } from 'node:assert/strict';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { CLIENT_SCHEMA } from '../validation/client-schema.js';
import { validateClientMessage } from '../validation/validate.js';
import { decodeLine } from './decode-frame.js';
import { scanFlatObject } from './flat-scan.js';

const RUNS = 3000;
const SCHEMA_KEYS = [...new Set(['type', ...Object.values(CLIENT_SCHEMA).flatMap((f) => Object.keys(f))])];
const TYPES = Object.keys(CLIENT_SCHEMA);
/** Names a character short of, or past, a schema name: the scanner matches names in place. */
const nearNames = (names: readonly string[]) => names.flatMap((name) => [name.slice(0, -1), `${name}s`]);

/** What JSON.parse gives, or undefined when it throws. */
function parsed(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** The scanner either gives up or builds exactly JSON.parse's object, keys in the same order. */
function checkAgainstJsonParse(line: string): boolean {
  const scanned = scanFlatObject(line, DEFAULT_LIMITS.maxDepth);
  if (scanned === undefined) return false;
  const expected = parsed(line);
  expect(expected, `the scanner accepted a line JSON.parse refuses: ${line}`).not.toBeUndefined();
  // node's deepStrictEqual compares prototypes; toStrictEqual compares `constructor`, which a
  // line may set as an own property.
  deepStrictEqual(scanned, expected);
  expect(Object.keys(scanned)).toEqual(Object.keys(expected as object));
  expect(Object.getPrototypeOf(scanned)).toBe(Object.prototype);
  return true;
}

/** The general path decodeLine takes when the scanner gives up, as a comparable value. */
function generalPath(line: string): unknown {
  const value = parsed(line);
  if (value === undefined) return 'invalid JSON';
  return comparable(validateClientMessage(value));
}

function comparable(d: unknown): unknown {
  if (!(d instanceof ProtocolError)) return d;
  return { name: d.name, code: d.code, path: d.path, re: d.re, message: d.message, fatal: d.fatal };
}

// ─── Generators: compact lines close to what clients send, and near misses ─────────────────────────

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SCHEMA_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '0', '', 'admin', 'Type') },
  { weight: 1, arbitrary: fc.constantFrom(...nearNames(SCHEMA_KEYS)) },
  { weight: 1, arbitrary: printable },
);
const scalar = fc.oneof(
  printable,
  anyText,
  fc.constantFrom(...TYPES),
  fc.nat(),
  fc.maxSafeNat(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  { weight: 8, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(printable, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(printable, scalar, { maxKeys: 2 }) },
);
const typeName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...TYPES) },
  { weight: 1, arbitrary: fc.constantFrom(...nearNames(TYPES)) },
);
const typed = fc.tuple(typeName, fc.array(fc.tuple(key, value), { maxLength: 6 }));
/** Compact JSON of a flat object, written pair by pair so that keys may repeat. */
const compactLine = typed.map(
  ([type, pairs]) =>
    `{"type":${JSON.stringify(type)}${pairs.map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`).join('')}}`,
);
/** A compact line with a few characters changed, inserted or removed. */
const nearMiss = fc
  .tuple(
    compactLine,
    fc.array(fc.tuple(fc.nat(), fc.nat(2), fc.constantFrom(...'{}[]",:\\ -0.eE\u007f\u0001é'))),
  )
  .map(([line, edits]) => {
    let out = line;
    for (const [at, kind, ch] of edits) {
      const i = at % (out.length + 1);
      out =
        kind === 0
          ? out.slice(0, i) + ch + out.slice(i + 1)
          : kind === 1
            ? out.slice(0, i) + ch + out.slice(i)
            : out.slice(0, i) + out.slice(i + 1);
    }
    return out;
  });

describe('scanFlatObject', () => {
  it('builds what JSON.parse builds, or gives up, for compact lines', () => {
    let taken = 0;
    fc.assert(
      fc.property(compactLine, (line) => {
        if (checkAgainstJsonParse(line)) taken++;
      }),
      { numRuns: RUNS },
    );
    // Not a property that holds by giving up on everything: most generated lines are taken.
    expect(taken).toBeGreaterThan(RUNS / 3);
  });

  it('never accepts a line JSON.parse refuses, nor differs from it, on near misses', () => {
    fc.assert(
      fc.property(nearMiss, (line) => {
        checkAgainstJsonParse(line);
      }),
      { numRuns: RUNS },
    );
  });

  it('takes the lines clients send', () => {
    for (const line of [
      '{"type":"cmd","id":1842,"line":"say hello everyone, the dragon is near the north gate"}',
      '{"type":"auth","username":"player1","token":"test-token"}',
      '{"type":"ping","t":1732612345678.25,"id":9}',
      '{"type":"register","username":"Vera","password":"tide-pool-77","capabilities":["events","batch"]}',
      '{"type":"quit","id":"q-3"}',
      '{"type":"cmd","line":"say grüße aus München, 東京 😀","id":5}',
    ]) {
      expect(scanFlatObject(line, DEFAULT_LIMITS.maxDepth), line).toStrictEqual(JSON.parse(line));
    }
  });

  it('tells a schema name from a key or type a character shorter or longer', () => {
    for (const line of [
      '{"type":"cmds","i":1,"ids":2,"typ":"x","lines":"look"}',
      '{"typ":"cmd","type":"quit","t":1,"to":2,"token":"k","tokens":"m"}',
      '{"type":"cm","id":3}',
    ]) {
      expect(checkAgainstJsonParse(line), line).toBe(true);
    }
  });

  it('gives the numbers JSON.parse gives', () => {
    for (const n of [
      '0',
      '-0',
      '7',
      '123456789012345',
      '9007199254740993', // 2^53 + 1: the first integer a double cannot hold
      '54751811385367544', // 17 digits, where summing digit by digit rounds differently
      '1234567890123456789',
      '-12',
      '1.5',
      '2e3',
      '1E-7',
      '1e400',
    ]) {
      const line = `{"type":"ping","t":${n}}`;
      const scanned = scanFlatObject(line, DEFAULT_LIMITS.maxDepth);
      expect(scanned, n).toBeDefined();
      expect(Object.is(scanned?.t, JSON.parse(line).t), n).toBe(true);
    }
  });

  it('leaves to JSON.parse what it does not read', () => {
    for (const line of [
      '{"type":"cmd","line":"a\\"b"}', // an escape
      '{"type": "cmd","line":"a"}', // whitespace
      '{"type":"cmd","line":"a\u007f"}', // DEL
      '{"type":"cmd","line":"a\u0001"}', // a control character (invalid JSON)
      '{"type":"action","name":"move","args":{"to":"north"}}', // a nested object
      '{"type":"cmd","__proto__":{"x":1}}',
      '{"type":"cmd","__proto__":"x"}',
      '{"type":"cmd","id":01}', // a leading zero (invalid JSON)
      '{"type":"cmd","id":1.}',
      '{"type":"cmd","id":-}',
      '{"type":"cmd","line":"x"} ', // after the end
      '{"type":"cmd","line":"x"',
      '{"type":"cmd","a":[1]}', // an array of numbers
      '{"type":"cmd","a":tru}',
      '{}',
    ]) {
      expect(scanFlatObject(line, DEFAULT_LIMITS.maxDepth), line).toBeUndefined();
    }
    expect(scanFlatObject('{"type":"auth","capabilities":[]}', 1)).toBeUndefined();
  });

  it('reads a type the schema lacks, for the validators to refuse', () => {
    const line = '{"type":"teleport","id":1843,"to":"the north gate"}';
    deepStrictEqual(scanFlatObject(line, DEFAULT_LIMITS.maxDepth), JSON.parse(line));
    expect(decodeLine(line)).toMatchObject({ code: 'LEV_ERR_PROTOCOL_UNKNOWN_TYPE', re: 1843 });
  });

  it('keeps the first position and the last value of a repeated key, as JSON.parse does', () => {
    const line = '{"type":"cmd","line":"a","id":1,"line":"b"}';
    const scanned = scanFlatObject(line, DEFAULT_LIMITS.maxDepth);
    expect(scanned).toStrictEqual(JSON.parse(line));
    expect(Object.keys(scanned ?? {})).toEqual(['type', 'line', 'id']);
  });
});

describe('decodeLine with the scanner', () => {
  it('decodes and refuses every line exactly as JSON.parse and validateClientMessage do', () => {
    fc.assert(
      fc.property(fc.oneof(compactLine, nearMiss), (line) => {
        const decoded = decodeLine(line);
        const general = generalPath(line);
        if (general === 'invalid JSON') expect(decoded).toBeInstanceOf(ProtocolError);
        else deepStrictEqual(comparable(decoded), general);
      }),
      { numRuns: RUNS },
    );
  });
});
