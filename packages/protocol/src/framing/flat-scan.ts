import { CLIENT_SCHEMA } from '../validation/client-schema.js';

/**
 * A scanner for the lines clients send most: one flat JSON object written compactly (as
 * JSON.stringify writes it). It reads the line once and builds the object JSON.parse would build
 * from it: the same own keys in the same order, the same values. For anything else it gives up
 * (returns undefined) and the caller parses as usual. It never decides that a line is invalid: that
 * stays with JSON.parse and the validators, which see the same object either way.
 *
 * Why: JSON.parse is most of a decode. Profiled on Node 24 (perf, a binary `cmd` frame of 85 bytes
 * decoded 20 million times): JSON.parse and the interning of every key and short value took about
 * 60 % of decodeFrame; the UTF-8 decode about 10 % (it is needed either way), the validation most
 * of the rest. decodeFrame was 1.39-1.43x `JSON.parse(buf.toString())` on Node 22 and 24. Here the
 * keys and type names of the schema are recognised where they stand and become its interned
 * strings, integers are summed as they are read, and only free text (a command line, a token)
 * becomes a new string, a slice of the line. Measured in the protocol suite (medians of three
 * runs): a `cmd` line decoded and validated in 0.91x the time of JSON.parse alone on Node 20 and
 * 0.78x on Node 22 (1.26x and 1.24x before), a binary `cmd` frame in 1.10x and 1.07x
 * `JSON.parse(buf.toString())` (1.31x and 1.36x before); in instructions (valgrind, Node 20),
 * 0.97x and 1.09x (1.18x and 1.26x before).
 *
 * Accepted: `{`, then `"key":value` pairs separated by `,`, then `}` ending the line. Values:
 * strings, numbers, `true`, `false`, `null`, and (when `maxDepth` allows) arrays of strings.
 * Refused, for the general path: a nested object anywhere or a backslash anywhere (both found with
 * one indexOf each, so that such lines, an `action` with its `args`, cost little here), whitespace
 * between tokens, a string holding a control character or DEL, a key `__proto__` (JSON.parse makes
 * it an own property; an assignment would set the prototype).
 */
export function scanFlatObject(line: string, maxDepth: number): Record<string, unknown> | undefined {
  if (line.charCodeAt(0) !== OPEN_BRACE || line.indexOf('{', 1) !== -1 || line.indexOf('\\') !== -1) {
    return undefined;
  }
  const obj: Record<string, unknown> = {};
  let i = 1;
  for (;;) {
    // The key. A name of the schema is recognised in place; any other is sliced out (and refused
    // by the validators, but with the error JSON.parse's object would give).
    if (line.charCodeAt(i) !== QUOTE) return undefined;
    let key = knownNameAt(KEYS_BY_FIRST_CHAR, line, i + 1);
    let keyEnd: number;
    if (key !== undefined) keyEnd = i + 1 + key.length;
    else {
      keyEnd = stringEnd(line, i + 1);
      if (keyEnd < 0) return undefined;
      key = line.slice(i + 1, keyEnd);
      if (key === '__proto__') return undefined;
    }
    if (line.charCodeAt(keyEnd + 1) !== COLON) return undefined;
    i = keyEnd + 2;

    // The value; `i` ends just past it.
    const c = line.charCodeAt(i);
    const type = c === QUOTE && key === 'type' ? knownNameAt(TYPES_BY_FIRST_CHAR, line, i + 1) : undefined;
    if (type !== undefined) {
      obj.type = type;
      i += type.length + 2;
    } else if (c === QUOTE) {
      // Free text, or a type the schema lacks: read here all the same, the validators refuse it
      // as they would refuse JSON.parse's object (giving up instead took the unknown-type line
      // from 1.82x to 2.23x JSON.parse on Node 20: the work here, then all of JSON.parse's).
      const end = stringEnd(line, i + 1);
      if (end < 0) return undefined;
      obj[key] = line.slice(i + 1, end);
      i = end + 1;
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      const end = numberEnd(line, i);
      if (end < 0) return undefined;
      obj[key] = integerOrNumber(line, i, end);
      i = end;
    } else if (c === OPEN_BRACKET) {
      if (maxDepth < 2) return undefined;
      const end = stringArrayEnd(line, i);
      if (end < 0) return undefined;
      obj[key] = stringArray(line, i, end);
      i = end;
    } else {
      const literal =
        c === LETTER_T ? 'true' : c === LETTER_F ? 'false' : c === LETTER_N ? 'null' : undefined;
      if (literal === undefined || !line.startsWith(literal, i)) return undefined;
      obj[key] = c === LETTER_T ? true : c === LETTER_F ? false : null;
      i += literal.length;
    }

    // Then the next pair, or the end of the object, which must be the end of the line.
    const next = line.charCodeAt(i);
    if (next === COMMA) i++;
    else return next === CLOSE_BRACE && i + 1 === line.length ? obj : undefined;
  }
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LETTER_E = 0x65;
const LETTER_CAPITAL_E = 0x45;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LETTER_T = 0x74;
const LETTER_F = 0x66;
const LETTER_N = 0x6e;
/** 15 decimal digits always fit a double's 53-bit mantissa exactly: the sum is JSON.parse's value. */
const MAX_SUMMED_DIGITS = 15;

/** A string's characters up to its closing quote, when none is an escape, a control character or DEL. */
const STRING_BODY = /[^"\\\u0000-\u001f\u007f]*"/y;

/**
 * The index of the quote that closes a string starting at `start`, or -1 when the string holds an
 * escape, a control character or DEL (or does not close): those are left to the general path.
 * A regular expression rather than a loop over charCodeAt: over the 53 characters of a command,
 * 48 ns against 111 ns on Node 20 (50-53 ns on Node 22 and 24).
 */
function stringEnd(line: string, start: number): number {
  STRING_BODY.lastIndex = start;
  return STRING_BODY.test(line) ? STRING_BODY.lastIndex - 1 : -1;
}

/**
 * The index just past a JSON number starting at `start` (RFC 8259 §6: `-`? then `0` or a digit
 * 1-9 and digits, then `.digits`? and `[eE][+-]?digits`?), or -1 when none starts there.
 */
function numberEnd(line: string, start: number): number {
  let i = start;
  if (line.charCodeAt(i) === MINUS) i++;
  if (line.charCodeAt(i) === DIGIT_0) i++;
  else {
    const end = digitsEnd(line, i);
    if (end === i) return -1;
    i = end;
  }
  if (line.charCodeAt(i) === DOT) {
    const end = digitsEnd(line, i + 1);
    if (end === i + 1) return -1;
    i = end;
  }
  const e = line.charCodeAt(i);
  if (e === LETTER_E || e === LETTER_CAPITAL_E) {
    i++;
    const sign = line.charCodeAt(i);
    if (sign === PLUS || sign === MINUS) i++;
    const end = digitsEnd(line, i);
    if (end === i) return -1;
    i = end;
  }
  return i;
}

/** The index of the first character at or after `start` that is not a decimal digit. */
function digitsEnd(line: string, start: number): number {
  let i = start;
  for (let c = line.charCodeAt(i); c >= DIGIT_0 && c <= DIGIT_9; c = line.charCodeAt(++i));
  return i;
}

/**
 * The value of the JSON number `line[start, end)`. A short unsigned integer (ids, sequence numbers,
 * timestamps) is summed digit by digit; any other goes through Number(), which rounds a decimal
 * string to the nearest double exactly as JSON.parse does (both follow the same ECMAScript rule).
 */
function integerOrNumber(line: string, start: number, end: number): number {
  if (end - start <= MAX_SUMMED_DIGITS) {
    let value = 0;
    let i = start;
    for (; i < end; i++) {
      const d = line.charCodeAt(i) - DIGIT_0;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
    }
    if (i === end) return value;
  }
  return Number(line.slice(start, end));
}

/** The index just past an array of strings starting at `open` (`[`), or -1 when it is not one. */
function stringArrayEnd(line: string, open: number): number {
  let i = open + 1;
  if (line.charCodeAt(i) === CLOSE_BRACKET) return i + 1;
  for (;;) {
    if (line.charCodeAt(i) !== QUOTE) return -1;
    const end = stringEnd(line, i + 1);
    if (end < 0) return -1;
    const after = line.charCodeAt(end + 1);
    i = end + 2;
    if (after === CLOSE_BRACKET) return i;
    if (after !== COMMA) return -1;
  }
}

/** The strings of the array `line[open, end)`, which stringArrayEnd has checked. */
function stringArray(line: string, open: number, end: number): string[] {
  const items: string[] = [];
  let i = open + 1;
  while (i < end - 1) {
    const close = line.indexOf('"', i + 1);
    items.push(line.slice(i + 1, close));
    i = close + 2;
  }
  return items;
}

/** Names grouped by their first character (a code below 128), to recognise one without allocating it. */
type NamesByFirstChar = ReadonlyArray<readonly string[]>;

function namesByFirstChar(names: Iterable<string>): NamesByFirstChar {
  const list = [...names];
  return Array.from({ length: 128 }, (_, code) => list.filter((name) => name.charCodeAt(0) === code));
}

const TYPES_BY_FIRST_CHAR = namesByFirstChar(Object.keys(CLIENT_SCHEMA));
const KEYS_BY_FIRST_CHAR = namesByFirstChar(
  new Set(['type', ...Object.values(CLIENT_SCHEMA).flatMap((fields) => Object.keys(fields))]),
);

/**
 * The name among `names` that stands at `start` followed by the quote that closes it, or
 * undefined. A name of the schema has no quote, escape, control character or DEL, so a match is
 * exactly the JSON string's value, and at most one name can match.
 *
 * In place, by first character, rather than finding the closing quote with indexOf and then
 * comparing the names of that length: perf (Node 24, a binary `cmd` frame) had the name lookup at
 * 15 % of decodeFrame and indexOf at 11 %. Scanning a `cmd` line went from 203/205/192 ns to
 * 171/177/173 ns on Node 20/22/24, and decodeFrame of its binary frame from 346/343/333 ns to
 * 309/312/302 ns (medians of 11 rounds of 200,000, each line the same run).
 */
function knownNameAt(names: NamesByFirstChar, line: string, start: number): string | undefined {
  const candidates = names[line.charCodeAt(start)];
  if (candidates === undefined) return undefined;
  for (let k = 0; k < candidates.length; k++) {
    const name = candidates[k]!;
    if (line.charCodeAt(start + name.length) !== QUOTE) continue;
    let i = 1;
    while (i < name.length && name.charCodeAt(i) === line.charCodeAt(start + i)) i++;
    if (i === name.length) return name;
  }
  return undefined;
}
