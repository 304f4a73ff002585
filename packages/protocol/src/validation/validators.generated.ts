// GENERATED FILE: do not edit. Made by packages/protocol/scripts/generate-validators.ts from the
// client schema (src/validation/client-schema.ts); test/generated.test.ts fails when it is stale.
// Regenerate: pnpm --filter @leviathan/protocol run generate
import { InvalidFieldError, OutOfRangeError, type ProtocolError, StringTooLongError, UnknownTypeError } from '../errors.js';
import type { ProtocolLimits } from '../limits.js';
import { checkJsonObject, checkStringArray, hasControlCharacters, isUsername, missingField, unknownKey } from './field-checks.js';


/**
 * Checks the fields of `obj`, a message of type `type`: the first error found, or undefined when
 * it is valid. An unknown type is an UnknownTypeError.
 */
export function checkMessage(
  obj: Record<string, unknown>,
  type: string,
  limits: ProtocolLimits,
  raw: string | undefined,
): ProtocolError | undefined {
  switch (type) {
    case 'cmd':
      return validateCmd(obj, limits, raw);
    case 'action':
      return validateAction(obj, limits, raw);
    case 'ping':
      return validatePing(obj, limits, raw);
    case 'auth':
      return validateAuth(obj, limits, raw);
    case 'register':
      return validateRegister(obj, limits, raw);
    case 'quit':
      return validateQuit(obj, limits, raw);
    default:
      return new UnknownTypeError(type);
  }
}

/** `cmd`: line (required), id. */
function validateCmd(
  obj: Record<string, unknown>,
  limits: ProtocolLimits,
  raw: string | undefined,
): ProtocolError | undefined {
  let required = 0;
  for (const key in obj) {
    switch (key) {
      case 'type':
        continue;
      case 'line': {
        const value = obj[key];
        if (typeof value !== 'string') return new InvalidFieldError('line', 'a string');
        if (value.length > limits.maxCommandLength) return new StringTooLongError('line', limits.maxCommandLength);
        if (hasControlCharacters(value, raw)) return new InvalidFieldError('line', 'text without control characters');
        required++;
        continue;
      }
      case 'id': {
        const value = obj[key];
        if (typeof value === 'string') {
          if (value.length > 64) return new StringTooLongError('id', 64);
        } else if (typeof value === 'number') {
          if (!Number.isSafeInteger(value) || value < 0) return new OutOfRangeError('id', 0, Number.MAX_SAFE_INTEGER);
        } else return new InvalidFieldError('id', 'a string or an integer');
        continue;
      }
      default:
        return unknownKey('cmd', key);
    }
  }
  return required === 1 ? undefined : missingField(obj, 'cmd', ['line']);
}

/** `action`: name (required), args, id. */
function validateAction(
  obj: Record<string, unknown>,
  limits: ProtocolLimits,
  raw: string | undefined,
): ProtocolError | undefined {
  let required = 0;
  for (const key in obj) {
    switch (key) {
      case 'type':
        continue;
      case 'name': {
        const value = obj[key];
        if (typeof value !== 'string') return new InvalidFieldError('name', 'a string');
        if (value.length > 64) return new StringTooLongError('name', 64);
        if (value.length < 1) return new InvalidFieldError('name', 'at least 1 characters');
        required++;
        continue;
      }
      case 'args': {
        const value = obj[key];
        const err = checkJsonObject(value, 'args', limits.maxDepth, 32, 1024);
        if (err !== undefined) return err;
        continue;
      }
      case 'id': {
        const value = obj[key];
        if (typeof value === 'string') {
          if (value.length > 64) return new StringTooLongError('id', 64);
        } else if (typeof value === 'number') {
          if (!Number.isSafeInteger(value) || value < 0) return new OutOfRangeError('id', 0, Number.MAX_SAFE_INTEGER);
        } else return new InvalidFieldError('id', 'a string or an integer');
        continue;
      }
      default:
        return unknownKey('action', key);
    }
  }
  return required === 1 ? undefined : missingField(obj, 'action', ['name']);
}

/** `ping`: t, id. */
function validatePing(
  obj: Record<string, unknown>,
  limits: ProtocolLimits,
  raw: string | undefined,
): ProtocolError | undefined {
  for (const key in obj) {
    switch (key) {
      case 'type':
        continue;
      case 't': {
        const value = obj[key];
        if (typeof value !== 'number' || !Number.isFinite(value)) return new InvalidFieldError('t', 'a number');
        continue;
      }
      case 'id': {
        const value = obj[key];
        if (typeof value === 'string') {
          if (value.length > 64) return new StringTooLongError('id', 64);
        } else if (typeof value === 'number') {
          if (!Number.isSafeInteger(value) || value < 0) return new OutOfRangeError('id', 0, Number.MAX_SAFE_INTEGER);
        } else return new InvalidFieldError('id', 'a string or an integer');
        continue;
      }
      default:
        return unknownKey('ping', key);
    }
  }
  return undefined;
}

/** `auth`: username (required), token, password, resume, version, capabilities, id. */
function validateAuth(
  obj: Record<string, unknown>,
  limits: ProtocolLimits,
  raw: string | undefined,
): ProtocolError | undefined {
  let required = 0;
  for (const key in obj) {
    switch (key) {
      case 'type':
        continue;
      case 'username': {
        const value = obj[key];
        if (typeof value !== 'string') return new InvalidFieldError('username', 'a string');
        if (value.length > 32) return new StringTooLongError('username', 32);
        if (value.length < 1) return new InvalidFieldError('username', 'at least 1 characters');
        if (!isUsername(value)) return new InvalidFieldError('username', 'a string matching ^[A-Za-z][A-Za-z0-9_-]{0,31}$');
        required++;
        continue;
      }
      case 'token': {
        const value = obj[key];
        if (typeof value !== 'string') return new InvalidFieldError('token', 'a string');
        if (value.length > 4096) return new StringTooLongError('token', 4096);
        continue;
      }
      case 'password': {
        const value = obj[key];
        if (typeof value !== 'string') return new InvalidFieldError('password', 'a string');
        if (value.length > 256) return new StringTooLongError('password', 256);
        if (value.length < 1) return new InvalidFieldError('password', 'at least 1 characters');
        continue;
      }
      case 'resume': {
        const value = obj[key];
        if (typeof value !== 'string') return new InvalidFieldError('resume', 'a string');
        if (value.length > 4096) return new StringTooLongError('resume', 4096);
        continue;
      }
      case 'version': {
        const value = obj[key];
        if (typeof value !== 'number' || !Number.isInteger(value)) return new InvalidFieldError('version', 'an integer');
        if (value < 1 || value > 65535) return new OutOfRangeError('version', 1, 65535);
        continue;
      }
      case 'capabilities': {
        const value = obj[key];
        const err = checkStringArray(value, 'capabilities', 16, 32);
        if (err !== undefined) return err;
        continue;
      }
      case 'id': {
        const value = obj[key];
        if (typeof value === 'string') {
          if (value.length > 64) return new StringTooLongError('id', 64);
        } else if (typeof value === 'number') {
          if (!Number.isSafeInteger(value) || value < 0) return new OutOfRangeError('id', 0, Number.MAX_SAFE_INTEGER);
        } else return new InvalidFieldError('id', 'a string or an integer');
        continue;
      }
      default:
        return unknownKey('auth', key);
    }
  }
  return required === 1 ? undefined : missingField(obj, 'auth', ['username']);
}

/** `register`: username (required), password (required), version, capabilities, id. */
function validateRegister(
  obj: Record<string, unknown>,
  limits: ProtocolLimits,
  raw: string | undefined,
): ProtocolError | undefined {
  let required = 0;
  for (const key in obj) {
    switch (key) {
      case 'type':
        continue;
      case 'username': {
        const value = obj[key];
        if (typeof value !== 'string') return new InvalidFieldError('username', 'a string');
        if (value.length > 32) return new StringTooLongError('username', 32);
        if (value.length < 1) return new InvalidFieldError('username', 'at least 1 characters');
        if (!isUsername(value)) return new InvalidFieldError('username', 'a string matching ^[A-Za-z][A-Za-z0-9_-]{0,31}$');
        required++;
        continue;
      }
      case 'password': {
        const value = obj[key];
        if (typeof value !== 'string') return new InvalidFieldError('password', 'a string');
        if (value.length > 256) return new StringTooLongError('password', 256);
        if (value.length < 1) return new InvalidFieldError('password', 'at least 1 characters');
        required++;
        continue;
      }
      case 'version': {
        const value = obj[key];
        if (typeof value !== 'number' || !Number.isInteger(value)) return new InvalidFieldError('version', 'an integer');
        if (value < 1 || value > 65535) return new OutOfRangeError('version', 1, 65535);
        continue;
      }
      case 'capabilities': {
        const value = obj[key];
        const err = checkStringArray(value, 'capabilities', 16, 32);
        if (err !== undefined) return err;
        continue;
      }
      case 'id': {
        const value = obj[key];
        if (typeof value === 'string') {
          if (value.length > 64) return new StringTooLongError('id', 64);
        } else if (typeof value === 'number') {
          if (!Number.isSafeInteger(value) || value < 0) return new OutOfRangeError('id', 0, Number.MAX_SAFE_INTEGER);
        } else return new InvalidFieldError('id', 'a string or an integer');
        continue;
      }
      default:
        return unknownKey('register', key);
    }
  }
  return required === 2 ? undefined : missingField(obj, 'register', ['username', 'password']);
}

/** `quit`: id. */
function validateQuit(
  obj: Record<string, unknown>,
  limits: ProtocolLimits,
  raw: string | undefined,
): ProtocolError | undefined {
  for (const key in obj) {
    switch (key) {
      case 'type':
        continue;
      case 'id': {
        const value = obj[key];
        if (typeof value === 'string') {
          if (value.length > 64) return new StringTooLongError('id', 64);
        } else if (typeof value === 'number') {
          if (!Number.isSafeInteger(value) || value < 0) return new OutOfRangeError('id', 0, Number.MAX_SAFE_INTEGER);
        } else return new InvalidFieldError('id', 'a string or an integer');
        continue;
      }
      default:
        return unknownKey('quit', key);
    }
  }
  return undefined;
}
