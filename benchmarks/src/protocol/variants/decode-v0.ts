/**
 * The first validator (commit 9813a06 plus the control-character check), kept to measure the
 * current one against: a Set lookup for forbidden keys and hasOwn on the schema for every key, a
 * second pass over required fields, and a regex scan of `cmd.line`. Error details are left out:
 * only the valid path is timed.
 */
import { DEFAULT_LIMITS, ErrorCode, ProtocolError } from '@leviathan/protocol';
import { CLIENT_SCHEMA, REQUIRED_FIELDS } from './decode-v1/client-schema.js';
import type { FieldCheck } from './decode-v1/field-checks.js';

type Spec = { readonly check: FieldCheck; readonly required: boolean };
const SCHEMA = CLIENT_SCHEMA as unknown as Record<string, Record<string, Spec>>;
const REQUIRED = REQUIRED_FIELDS as Record<string, readonly string[]>;
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const hasOwn = Object.prototype.hasOwnProperty;
const fail = () => new ProtocolError(ErrorCode.InvalidField, 'invalid');

function validateV0(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail();
  const obj = value as Record<string, unknown>;
  const type = obj.type;
  if (typeof type !== 'string' || !hasOwn.call(SCHEMA, type)) return fail();
  const fields = SCHEMA[type] as Record<string, Spec>;
  for (const key in obj) {
    if (key === 'type') continue;
    if (FORBIDDEN_KEYS.has(key)) return fail();
    if (!hasOwn.call(fields, key)) return fail();
    // No raw line: the control-character check always scans the value, as v0 did.
    const err = (fields[key] as Spec).check(obj[key], key, DEFAULT_LIMITS);
    if (err !== undefined) return err;
  }
  const req = REQUIRED[type] as readonly string[];
  for (let i = 0; i < req.length; i++) if (!hasOwn.call(obj, req[i] as string)) return fail();
  return obj;
}

/** decodeFrame v0 for a one-line text frame: parse, then the v0 validator. */
export function decodeFrameV0(text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [fail()];
  }
  return [validateV0(value)];
}
