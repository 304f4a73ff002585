import {
  MissingTypeError,
  NotAnObjectError,
  type ProtocolError,
  UnsupportedVersionError,
} from '../errors.js';
import { DEFAULT_LIMITS, FieldBounds, type ProtocolLimits } from '../limits.js';
import type { ClientMessage, RequestId } from '../messages.js';
import { PROTOCOL_VERSION, SUPPORTED_VERSIONS } from '../version.js';
import { isRequestId } from './field-checks.js';
import { checkMessage } from './validators.generated.js';

/**
 * Validates a parsed JSON value as a client message. Returns the same object, typed, when it is
 * valid (it is not copied: unknown and forbidden keys are refused, so nothing else can be on it),
 * or the first error found. Never throws.
 *
 * Every error found once the value is known to be an object carries the object's own `id` in
 * `re` when that id is a valid request id (a string of at most 64 characters or a safe integer
 * >= 0), whatever else is wrong, so the server can answer the request without parsing the line
 * again. An `auth` or `register` that asks for a protocol version this package does not know
 * fails with UnsupportedVersionError rather than with the first field it does not understand: a
 * newer client may send fields of its newer version, and what it needs to hear is the version.
 */
export function validateClientMessage(
  value: unknown,
  limits: ProtocolLimits = DEFAULT_LIMITS,
): ClientMessage | ProtocolError {
  return validateParsed(value, limits, undefined);
}

/**
 * validateClientMessage, told the JSON text `value` was parsed from, which some checks use, or ''
 * when the caller has seen that text to hold no backslash and no DEL (see hasControlCharacters).
 */
export function validateParsed(
  value: unknown,
  limits: ProtocolLimits,
  raw: string | undefined,
): ClientMessage | ProtocolError {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return new NotAnObjectError();
  const obj = value as Record<string, unknown>;
  const type = obj.type;
  const err = typeof type === 'string' ? checkMessage(obj, type, limits, raw) : new MissingTypeError();
  return err === undefined ? (obj as unknown as ClientMessage) : fail(err, obj);
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
  if (Object.hasOwn(obj, 'id') && isRequestId(id, FieldBounds.idStringMax)) err.re = id as RequestId;
  return err;
}
