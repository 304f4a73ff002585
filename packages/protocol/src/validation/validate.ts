import {
  ForbiddenKeyError,
  MissingFieldError,
  MissingTypeError,
  NotAnObjectError,
  type ProtocolError,
  UnknownFieldError,
  UnknownTypeError,
  UnsupportedVersionError,
} from '../errors.js';
import { DEFAULT_LIMITS, FieldBounds, type ProtocolLimits } from '../limits.js';
import type { ClientMessage, ClientMessageType, RequestId } from '../messages.js';
import { PROTOCOL_VERSION, SUPPORTED_VERSIONS } from '../version.js';
import { CLIENT_SCHEMA, REQUIRED_FIELDS } from './client-schema.js';
import { type FieldCheck, FORBIDDEN_KEYS, isRequestId } from './field-checks.js';

type Spec = { readonly check: FieldCheck; readonly required: boolean };
const SCHEMA = CLIENT_SCHEMA as unknown as Record<string, Record<string, Spec>>;
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Validates a parsed JSON value as a client message. Returns the same object, typed, when it is
 * valid (it is not copied: unknown and forbidden keys are refused, so nothing else can be on it),
 * or the first error found. Never throws.
 *
 * On failure, the error carries the message's `id` in `re` when the id itself is valid. An `auth`
 * or `register` that asks for a protocol version this package does not know fails with
 * UnsupportedVersionError rather than with the first field it does not understand: a newer
 * client may send fields of its newer version, and what it needs to hear is the version.
 */
export function validateClientMessage(
  value: unknown,
  limits: ProtocolLimits = DEFAULT_LIMITS,
): ClientMessage | ProtocolError {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return new NotAnObjectError();
  const obj = value as Record<string, unknown>;
  const type = obj.type;
  if (typeof type !== 'string') return fail(new MissingTypeError(), obj);
  if (!hasOwn.call(SCHEMA, type)) return fail(new UnknownTypeError(type), obj);
  const fields = SCHEMA[type] as Record<string, Spec>;
  for (const key in obj) {
    if (key === 'type') continue;
    if (FORBIDDEN_KEYS.has(key)) return fail(new ForbiddenKeyError(key), obj);
    if (!hasOwn.call(fields, key)) return fail(new UnknownFieldError(type, key), obj);
    const err = (fields[key] as Spec).check(obj[key], key, limits);
    if (err !== undefined) return fail(err, obj);
  }
  const req = REQUIRED_FIELDS[type as ClientMessageType];
  for (let i = 0; i < req.length; i++) {
    const name = req[i] as string;
    if (!hasOwn.call(obj, name)) return fail(new MissingFieldError(type, name), obj);
  }
  return obj as unknown as ClientMessage;
}

/** The error path only: attaches the request id and applies the newer-version rule. */
function fail(err: ProtocolError, obj: Record<string, unknown>): ProtocolError {
  const type = obj.type;
  // The rule applies when `version` itself is valid: a bad version is reported as such.
  if ((type === 'auth' || type === 'register') && err.path !== 'version') {
    const version = obj.version;
    if (
      typeof version === 'number' &&
      Number.isInteger(version) &&
      version > PROTOCOL_VERSION &&
      !SUPPORTED_VERSIONS.includes(version)
    ) {
      err = new UnsupportedVersionError(version, SUPPORTED_VERSIONS, err);
    }
  }
  const id = obj.id;
  if (hasOwn.call(obj, 'id') && isRequestId(id, FieldBounds.idStringMax)) err.re = id as RequestId;
  return err;
}
