import { describe, expect, it } from 'vitest';
import { CloseCode } from '../close-codes.js';
import { ErrorCode } from '../error-codes.js';
import { ProtocolError, UnsupportedVersionError } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { CLIENT_MESSAGE_TYPES } from '../messages.js';
import { CLIENT_SCHEMA } from './client-schema.js';
import { validateClientMessage } from './validate.js';

const long = (n: number, c = 'a') => c.repeat(n);

/** Valid messages: every type, with only its required fields and with every optional field. */
const VALID: Array<[string, Record<string, unknown>]> = [
  ['auth, the seed k6 message', { type: 'auth', username: 'player1', token: 'test-token' }],
  [
    'auth, every field',
    {
      type: 'auth',
      username: 'Zed_the-2nd',
      token: long(4096),
      password: long(256),
      resume: 'r',
      version: 1,
      capabilities: ['batch', 'events', 'some-future-thing'],
      id: 'login-1',
    },
  ],
  ['auth, username only (the server decides)', { type: 'auth', username: 'a' }],
  ['auth, username of 32 characters', { type: 'auth', username: `A${long(31)}` }],
  [
    'auth, 16 capabilities of 32 characters',
    { type: 'auth', username: 'a', capabilities: Array(16).fill(long(32)) },
  ],
  ['register', { type: 'register', username: 'newbie', password: 'hunter2' }],
  [
    'register, every field',
    { type: 'register', username: 'n', password: 'p', version: 1, capabilities: [], id: 0 },
  ],
  ['cmd', { type: 'cmd', line: 'look' }],
  ['cmd, empty line', { type: 'cmd', line: '' }],
  ['cmd with numeric id', { type: 'cmd', line: 'say hello', id: 42 }],
  ['cmd with the largest safe id', { type: 'cmd', line: 'x', id: Number.MAX_SAFE_INTEGER }],
  ['cmd with a string id of 64', { type: 'cmd', line: 'x', id: long(64) }],
  ['cmd with a tab and non-ASCII text', { type: 'cmd', line: 'say\tgrüße 😀', id: 'a' }],
  ['cmd, line of maxCommandLength', { type: 'cmd', line: long(DEFAULT_LIMITS.maxCommandLength) }],
  ['action', { type: 'action', name: 'move' }],
  [
    'action with args at the depth limit',
    {
      type: 'action',
      name: 'move',
      args: { to: 'north', n: 2, ok: true, z: null, deep: { a: [1, 'x'] } },
      id: 7,
    },
  ],
  [
    'action with 32 args',
    {
      type: 'action',
      name: 'x',
      args: Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, i])),
    },
  ],
  ['ping', { type: 'ping' }],
  ['ping with t and id', { type: 'ping', t: 1732612345678.5, id: 3 }],
  ['quit', { type: 'quit' }],
  ['quit with id', { type: 'quit', id: 'bye' }],
];

/** Invalid messages: [name, value, code, path]. */
const INVALID: Array<[string, unknown, string, string | undefined]> = [
  // Shape.
  ['null', null, ErrorCode.NotAnObject, undefined],
  ['a number', 42, ErrorCode.NotAnObject, undefined],
  ['a string', 'auth', ErrorCode.NotAnObject, undefined],
  ['an array', [{ type: 'ping' }], ErrorCode.NotAnObject, undefined],
  ['no type', { username: 'a' }, ErrorCode.MissingType, 'type'],
  ['numeric type', { type: 1 }, ErrorCode.MissingType, 'type'],
  ['unknown type', { type: 'teleport' }, ErrorCode.UnknownType, 'type'],
  ['server type sent by a client', { type: 'auth-ok' }, ErrorCode.UnknownType, 'type'],
  ['inherited name as type', { type: 'toString' }, ErrorCode.UnknownType, 'type'],
  ['__proto__ as type', { type: '__proto__' }, ErrorCode.UnknownType, 'type'],
  // auth
  ['auth without username', { type: 'auth', token: 't' }, ErrorCode.MissingField, 'username'],
  ['auth username not a string', { type: 'auth', username: 5 }, ErrorCode.InvalidField, 'username'],
  ['auth username empty', { type: 'auth', username: '' }, ErrorCode.InvalidField, 'username'],
  ['auth username too long', { type: 'auth', username: `A${long(32)}` }, ErrorCode.StringTooLong, 'username'],
  [
    'auth username starts with a digit',
    { type: 'auth', username: '1abc' },
    ErrorCode.InvalidField,
    'username',
  ],
  ['auth username with a space', { type: 'auth', username: 'a b' }, ErrorCode.InvalidField, 'username'],
  ['auth username with a newline', { type: 'auth', username: 'ab\n' }, ErrorCode.InvalidField, 'username'],
  ['auth token not a string', { type: 'auth', username: 'a', token: 1 }, ErrorCode.InvalidField, 'token'],
  [
    'auth token too long',
    { type: 'auth', username: 'a', token: long(4097) },
    ErrorCode.StringTooLong,
    'token',
  ],
  ['auth password empty', { type: 'auth', username: 'a', password: '' }, ErrorCode.InvalidField, 'password'],
  [
    'auth password too long',
    { type: 'auth', username: 'a', password: long(257) },
    ErrorCode.StringTooLong,
    'password',
  ],
  ['auth resume not a string', { type: 'auth', username: 'a', resume: {} }, ErrorCode.InvalidField, 'resume'],
  [
    'auth resume too long',
    { type: 'auth', username: 'a', resume: long(4097) },
    ErrorCode.StringTooLong,
    'resume',
  ],
  ['auth version 0', { type: 'auth', username: 'a', version: 0 }, ErrorCode.OutOfRange, 'version'],
  ['auth version 1.5', { type: 'auth', username: 'a', version: 1.5 }, ErrorCode.InvalidField, 'version'],
  [
    'auth version as string',
    { type: 'auth', username: 'a', version: '1' },
    ErrorCode.InvalidField,
    'version',
  ],
  ['auth version 65536', { type: 'auth', username: 'a', version: 65536 }, ErrorCode.OutOfRange, 'version'],
  [
    'auth capabilities not an array',
    { type: 'auth', username: 'a', capabilities: 'batch' },
    ErrorCode.InvalidField,
    'capabilities',
  ],
  [
    'auth capability not a string',
    { type: 'auth', username: 'a', capabilities: ['batch', 2] },
    ErrorCode.InvalidField,
    'capabilities[1]',
  ],
  [
    'auth capability too long',
    { type: 'auth', username: 'a', capabilities: [long(33)] },
    ErrorCode.StringTooLong,
    'capabilities[0]',
  ],
  [
    'auth 17 capabilities',
    { type: 'auth', username: 'a', capabilities: Array(17).fill('x') },
    ErrorCode.OutOfRange,
    'capabilities.length',
  ],
  ['auth unknown field', { type: 'auth', username: 'a', admin: true }, ErrorCode.UnknownField, 'admin'],
  [
    'auth __proto__ key',
    JSON.parse('{"type":"auth","username":"a","__proto__":{"admin":true}}'),
    ErrorCode.ForbiddenKey,
    '__proto__',
  ],
  [
    'auth constructor key',
    { type: 'auth', username: 'a', constructor: {} },
    ErrorCode.ForbiddenKey,
    'constructor',
  ],
  ['auth prototype key', { type: 'auth', username: 'a', prototype: 1 }, ErrorCode.ForbiddenKey, 'prototype'],
  ['auth id negative', { type: 'auth', username: 'a', id: -1 }, ErrorCode.OutOfRange, 'id'],
  // register
  ['register without password', { type: 'register', username: 'a' }, ErrorCode.MissingField, 'password'],
  ['register without username', { type: 'register', password: 'p' }, ErrorCode.MissingField, 'username'],
  [
    'register bad username',
    { type: 'register', username: '-x', password: 'p' },
    ErrorCode.InvalidField,
    'username',
  ],
  [
    'register password too long',
    { type: 'register', username: 'a', password: long(257) },
    ErrorCode.StringTooLong,
    'password',
  ],
  [
    'register token is not a register field',
    { type: 'register', username: 'a', password: 'p', token: 't' },
    ErrorCode.UnknownField,
    'token',
  ],
  [
    'register version 0',
    { type: 'register', username: 'a', password: 'p', version: 0 },
    ErrorCode.OutOfRange,
    'version',
  ],
  // cmd
  ['cmd without line', { type: 'cmd', id: 1 }, ErrorCode.MissingField, 'line'],
  ['cmd line not a string', { type: 'cmd', line: ['look'] }, ErrorCode.InvalidField, 'line'],
  [
    'cmd line too long',
    { type: 'cmd', line: long(DEFAULT_LIMITS.maxCommandLength + 1) },
    ErrorCode.StringTooLong,
    'line',
  ],
  ['cmd line with ESC', { type: 'cmd', line: 'say \u001b[31mred' }, ErrorCode.InvalidField, 'line'],
  ['cmd line with a newline', { type: 'cmd', line: 'say a\nsay b' }, ErrorCode.InvalidField, 'line'],
  ['cmd line with NUL', { type: 'cmd', line: 'a\u0000' }, ErrorCode.InvalidField, 'line'],
  ['cmd line with DEL', { type: 'cmd', line: 'a\u007f' }, ErrorCode.InvalidField, 'line'],
  ['cmd id a float', { type: 'cmd', line: 'x', id: 1.5 }, ErrorCode.OutOfRange, 'id'],
  ['cmd id unsafe', { type: 'cmd', line: 'x', id: 2 ** 53 }, ErrorCode.OutOfRange, 'id'],
  ['cmd id too long', { type: 'cmd', line: 'x', id: long(65) }, ErrorCode.StringTooLong, 'id'],
  ['cmd id boolean', { type: 'cmd', line: 'x', id: true }, ErrorCode.InvalidField, 'id'],
  ['cmd id null', { type: 'cmd', line: 'x', id: null }, ErrorCode.InvalidField, 'id'],
  ['cmd unknown field', { type: 'cmd', line: 'x', text: 'y' }, ErrorCode.UnknownField, 'text'],
  // action
  ['action without name', { type: 'action', args: {} }, ErrorCode.MissingField, 'name'],
  ['action empty name', { type: 'action', name: '' }, ErrorCode.InvalidField, 'name'],
  ['action name too long', { type: 'action', name: long(65) }, ErrorCode.StringTooLong, 'name'],
  ['action args an array', { type: 'action', name: 'x', args: [1] }, ErrorCode.InvalidField, 'args'],
  ['action args null', { type: 'action', name: 'x', args: null }, ErrorCode.InvalidField, 'args'],
  ['action args a string', { type: 'action', name: 'x', args: 's' }, ErrorCode.InvalidField, 'args'],
  [
    'action args too deep',
    { type: 'action', name: 'x', args: { a: { b: { c: {} } } } },
    ErrorCode.TooDeep,
    'args.a.b.c',
  ],
  [
    'action args array too deep',
    { type: 'action', name: 'x', args: { a: [[[1]]] } },
    ErrorCode.TooDeep,
    'args.a[0][0]',
  ],
  [
    'action 33 args',
    {
      type: 'action',
      name: 'x',
      args: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])),
    },
    ErrorCode.OutOfRange,
    'args keys',
  ],
  [
    'action args array of 33',
    { type: 'action', name: 'x', args: { a: Array(33).fill(0) } },
    ErrorCode.OutOfRange,
    'args.a.length',
  ],
  [
    'action arg string too long',
    { type: 'action', name: 'x', args: { s: long(1025) } },
    ErrorCode.StringTooLong,
    'args.s',
  ],
  [
    'action nested __proto__',
    { type: 'action', name: 'x', args: JSON.parse('{"a":{"__proto__":{"x":1}}}') },
    ErrorCode.ForbiddenKey,
    'args.a.__proto__',
  ],
  [
    'action nested constructor',
    { type: 'action', name: 'x', args: { constructor: { prototype: 1 } } },
    ErrorCode.ForbiddenKey,
    'args.constructor',
  ],
  [
    'action arg not JSON (Infinity)',
    { type: 'action', name: 'x', args: { n: Number.POSITIVE_INFINITY } },
    ErrorCode.InvalidField,
    'args.n',
  ],
  [
    'action arg not JSON (function)',
    { type: 'action', name: 'x', args: { f: () => 1 } },
    ErrorCode.InvalidField,
    'args.f',
  ],
  // ping, quit
  ['ping t a string', { type: 'ping', t: '1' }, ErrorCode.InvalidField, 't'],
  ['ping t NaN', { type: 'ping', t: Number.NaN }, ErrorCode.InvalidField, 't'],
  ['ping unknown field', { type: 'ping', now: 1 }, ErrorCode.UnknownField, 'now'],
  ['quit unknown field', { type: 'quit', reason: 'bored' }, ErrorCode.UnknownField, 'reason'],
];

describe('validateClientMessage', () => {
  it.each(VALID)('accepts %s', (_name, value) => {
    expect(validateClientMessage(value)).toBe(value);
  });

  it.each(INVALID)('refuses %s', (_name, value, code, path) => {
    const result = validateClientMessage(value);
    expect(result).toBeInstanceOf(ProtocolError);
    const err = result as ProtocolError;
    expect(err.code).toBe(code);
    expect(err.path).toBe(path);
    expect(err.fatal).toBe(false);
  });

  it('covers every client message type with valid and invalid cases', () => {
    const validTypes = new Set(VALID.map(([, v]) => v.type));
    const invalidTypes = new Set(INVALID.map(([, v]) => (v as { type?: unknown } | null)?.type));
    for (const type of CLIENT_MESSAGE_TYPES) {
      expect(validTypes, type).toContain(type);
      expect(invalidTypes, type).toContain(type);
    }
    expect(Object.keys(CLIENT_SCHEMA).sort()).toEqual([...CLIENT_MESSAGE_TYPES].sort());
  });

  it('honours a lower maxCommandLength and maxDepth from the limits', () => {
    const limits = { ...DEFAULT_LIMITS, maxCommandLength: 4, maxDepth: 2 };
    expect((validateClientMessage({ type: 'cmd', line: 'looks' }, limits) as ProtocolError).code).toBe(
      ErrorCode.StringTooLong,
    );
    expect(validateClientMessage({ type: 'action', name: 'x', args: { a: 1 } }, limits)).not.toBeInstanceOf(
      ProtocolError,
    );
    expect(
      (validateClientMessage({ type: 'action', name: 'x', args: { a: {} } }, limits) as ProtocolError).path,
    ).toBe('args.a');
  });

  it('puts the id of a bad message in the error, when the id is valid', () => {
    const withId = validateClientMessage({ type: 'cmd', line: 'x\u001b', id: 'req-9' }) as ProtocolError;
    expect(withId.re).toBe('req-9');
    const numeric = validateClientMessage({ id: 12, type: 'nope' }) as ProtocolError;
    expect(numeric.re).toBe(12);
    const badId = validateClientMessage({ type: 'cmd', line: 'x', id: -1 }) as ProtocolError;
    expect(badId.re).toBeUndefined();
  });

  it('answers an auth for a newer version with UnsupportedVersion, not with its unknown field', () => {
    const err = validateClientMessage({ type: 'auth', username: 'a', version: 2, session: 'x', id: 1 });
    expect(err).toBeInstanceOf(UnsupportedVersionError);
    const e = err as UnsupportedVersionError;
    expect(e.code).toBe(ErrorCode.UnsupportedVersion);
    expect(e.fatal).toBe(true);
    expect(e.closeCode).toBe(CloseCode.UnsupportedVersion);
    expect(e.supported).toEqual([1]);
    expect(e.re).toBe(1);
    expect((e.cause as ProtocolError).code).toBe(ErrorCode.UnknownField);
    // A v1 auth with an unknown field is still an unknown field.
    const v1 = validateClientMessage({
      type: 'auth',
      username: 'a',
      version: 1,
      session: 'x',
    }) as ProtocolError;
    expect(v1.code).toBe(ErrorCode.UnknownField);
  });
});
