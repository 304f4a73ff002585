import {
  ForbiddenKeyError,
  InvalidFieldError,
  MissingFieldError,
  OutOfRangeError,
  type ProtocolError,
  StringTooLongError,
  TooDeepError,
  UnknownFieldError,
} from '../errors.js';

/**
 * The checks the generated validators (validators.generated.ts) call where a rule takes more than
 * a few lines: loops, and the error path. The simple checks are written out in the validators.
 */

/**
 * C0 control characters other than tab, and DEL: what player text may not contain.
 */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * Whether player text has a control character. `raw` is the JSON text the message was parsed
 * from, when the caller has it (decodeLine does), or '' from a caller that has seen that text to
 * hold no backslash and no DEL (decodeLine, for a line its scanner read). JSON can carry a C0
 * control character inside a string only as a backslash escape (RFC 8259 §7), so when the raw
 * line has no backslash and no DEL, no string in it has a control character and the scan of the
 * value is skipped. Measured here: two indexOf over the line ≈ 25 ns, the regex over a
 * 55-character command ≈ 90 ns, JSON.parse of the line ≈ 350 ns.
 */
export function hasControlCharacters(value: string, raw: string | undefined): boolean {
  if (raw !== undefined && raw.indexOf('\\') === -1 && raw.indexOf('\u007f') === -1) return false;
  return CONTROL_CHARACTERS.test(value);
}

/**
 * USERNAME_PATTERN (`^[A-Za-z][A-Za-z0-9_-]{0,31}$`) as a loop over the characters, which the
 * validators call instead of the regular expression (field-checks.test.ts checks that the two
 * agree). Measured: JSON.parse of an `auth` line and USERNAME_PATTERN.test of its username,
 * 1.08x the JSON.parse alone; with this, 1.03x.
 */
export function isUsername(s: string): boolean {
  const length = s.length;
  if (length === 0 || length > 32 || !isLetter(s.charCodeAt(0))) return false;
  for (let i = 1; i < length; i++) {
    const c = s.charCodeAt(i);
    if (!(isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d)) return false;
  }
  return true;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** True for a valid request id (a string of at most `maxLength` characters, or a safe integer >= 0). */
export function isRequestId(value: unknown, maxLength: number): boolean {
  if (typeof value === 'string') return value.length <= maxLength;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Keys that must never reach an object: assigning them can reach a prototype. JSON.parse makes
 * `__proto__` an own property (harmless by itself), but a later spread or merge would not be.
 * Three comparisons rather than a Set lookup: the keys of a parsed object are internalized
 * strings, and so are these, so each comparison is a pointer comparison.
 */
function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** The error for a key that is not a field of `type`: forbidden, or unknown. */
export function unknownKey(type: string, key: string): ProtocolError {
  return isForbiddenKey(key) ? new ForbiddenKeyError(key) : new UnknownFieldError(type, key);
}

/**
 * The error path of required fields, when fewer passed their checks than `type` requires: the
 * first required field, in the schema's order, that the object does not have as its own, or
 * undefined when it has them all (own but not enumerable, which for-in does not visit).
 */
export function missingField(
  obj: Record<string, unknown>,
  type: string,
  required: readonly string[],
): ProtocolError | undefined {
  for (const name of required) {
    if (!Object.hasOwn(obj, name)) return new MissingFieldError(type, name);
  }
  return undefined;
}

export function checkStringArray(
  value: unknown,
  path: string,
  maxItems: number,
  maxLength: number,
): ProtocolError | undefined {
  if (!Array.isArray(value)) return new InvalidFieldError(path, 'an array of strings');
  if (value.length > maxItems) return new OutOfRangeError(`${path}.length`, 0, maxItems);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string') return new InvalidFieldError(`${path}[${i}]`, 'a string');
    if (item.length > maxLength) return new StringTooLongError(`${path}[${i}]`, maxLength);
  }
  return undefined;
}

/**
 * A JSON object of bounded size and depth (the message counts as depth 1, so a field's object is
 * depth 2). Forbidden keys are refused at every level.
 */
export function checkJsonObject(
  value: unknown,
  path: string,
  maxDepth: number,
  maxKeys: number,
  maxString: number,
): ProtocolError | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return new InvalidFieldError(path, 'an object');
  }
  return checkJsonContainer(value, path, 2, maxDepth, maxKeys, maxString);
}

/**
 * One value inside a JSON object field, named by its container's path and its key or index. Its
 * own path is built only to report an error or to descend into it (v1 built the path of every
 * key of `args`, whether or not anything was wrong).
 */
function checkJsonValue(
  value: unknown,
  parent: string,
  key: string | number,
  depth: number,
  maxDepth: number,
  maxKeys: number,
  maxString: number,
): ProtocolError | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : new InvalidFieldError(pathOf(parent, key), 'finite');
  }
  if (typeof value === 'string') {
    return value.length > maxString ? new StringTooLongError(pathOf(parent, key), maxString) : undefined;
  }
  return checkJsonContainer(value, pathOf(parent, key), depth, maxDepth, maxKeys, maxString);
}

/** An array or an object at `depth`, and what it holds; any other value is not JSON. */
function checkJsonContainer(
  value: unknown,
  path: string,
  depth: number,
  maxDepth: number,
  maxKeys: number,
  maxString: number,
): ProtocolError | undefined {
  if (depth > maxDepth) return new TooDeepError(path, maxDepth);
  if (Array.isArray(value)) {
    if (value.length > maxKeys) return new OutOfRangeError(`${path}.length`, 0, maxKeys);
    for (let i = 0; i < value.length; i++) {
      const err = checkJsonValue(value[i], path, i, depth + 1, maxDepth, maxKeys, maxString);
      if (err !== undefined) return err;
    }
    return undefined;
  }
  if (typeof value !== 'object') return new InvalidFieldError(path, 'a JSON value');
  let count = 0;
  for (const key in value) {
    if (isForbiddenKey(key)) return new ForbiddenKeyError(`${path}.${key}`);
    if (++count > maxKeys) return new OutOfRangeError(`${path} keys`, 0, maxKeys);
    const item = (value as Record<string, unknown>)[key];
    const err = checkJsonValue(item, path, key, depth + 1, maxDepth, maxKeys, maxString);
    if (err !== undefined) return err;
  }
  return undefined;
}

function pathOf(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}[${key}]` : `${parent}.${key}`;
}
