import {
  ForbiddenKeyError,
  MissingFieldError,
  MissingTypeError,
  NotAnObjectError,
  type ProtocolError,
  UnknownFieldError,
  UnknownTypeError,
} from '../errors.js';
import { DEFAULT_LIMITS, type ProtocolLimits } from '../limits.js';
import type { ClientMessage, ClientMessageType } from '../messages.js';
import { CLIENT_SCHEMA, REQUIRED_FIELDS } from './client-schema.js';
import { type FieldCheck, FORBIDDEN_KEYS } from './field-checks.js';

type Spec = { readonly check: FieldCheck; readonly required: boolean };
const SCHEMA = CLIENT_SCHEMA as unknown as Record<string, Record<string, Spec>>;
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Validates a parsed JSON value as a client message. Returns the same object, typed, when it is
 * valid (it is not copied: unknown and forbidden keys are refused, so nothing else can be on it),
 * or the first error found. Never throws.
 */
export function validateClientMessage(
  value: unknown,
  limits: ProtocolLimits = DEFAULT_LIMITS,
): ClientMessage | ProtocolError {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return new NotAnObjectError();
  const obj = value as Record<string, unknown>;
  const type = obj.type;
  if (typeof type !== 'string') return new MissingTypeError();
  if (!hasOwn.call(SCHEMA, type)) return new UnknownTypeError(type);
  const fields = SCHEMA[type] as Record<string, Spec>;
  for (const key in obj) {
    if (key === 'type') continue;
    if (FORBIDDEN_KEYS.has(key)) return new ForbiddenKeyError(key);
    if (!hasOwn.call(fields, key)) return new UnknownFieldError(type, key);
    const err = (fields[key] as Spec).check(obj[key], key, limits);
    if (err !== undefined) return err;
  }
  const req = REQUIRED_FIELDS[type as ClientMessageType];
  for (let i = 0; i < req.length; i++) {
    const name = req[i] as string;
    if (!hasOwn.call(obj, name)) return new MissingFieldError(type, name);
  }
  return obj as unknown as ClientMessage;
}
