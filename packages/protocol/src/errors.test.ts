import { describe, expect, it } from 'vitest';
import { CloseCode } from './close-codes.js';
import { ALL_ERROR_CODES, ErrorCode } from './error-codes.js';
import { toAuthErrorMessage, toErrorMessage } from './error-message.js';
import * as errors from './errors.js';
import { ProtocolError } from './errors.js';

/** Every error class with an instance, its code, path, fatality and close code. */
const ERRORS: Array<[ProtocolError, string, string | undefined, boolean, number | undefined]> = [
  [new errors.InvalidJsonError(new SyntaxError('x')), ErrorCode.InvalidJson, undefined, false, undefined],
  [new errors.InvalidUtf8Error(), ErrorCode.InvalidUtf8, undefined, false, undefined],
  [
    new errors.FrameTooLargeError(70000, 65536),
    ErrorCode.FrameTooLarge,
    undefined,
    true,
    CloseCode.MessageTooBig,
  ],
  [new errors.LineTooLargeError(20000, 16384), ErrorCode.LineTooLarge, undefined, false, undefined],
  [new errors.TooManyMessagesError(64), ErrorCode.TooManyMessages, undefined, false, undefined],
  [new errors.NotAnObjectError(), ErrorCode.NotAnObject, undefined, false, undefined],
  [new errors.MissingTypeError(), ErrorCode.MissingType, 'type', false, undefined],
  [new errors.UnknownTypeError('x'), ErrorCode.UnknownType, 'type', false, undefined],
  [new errors.UnknownFieldError('cmd', 'x'), ErrorCode.UnknownField, 'x', false, undefined],
  [new errors.MissingFieldError('cmd', 'line'), ErrorCode.MissingField, 'line', false, undefined],
  [new errors.InvalidFieldError('id', 'an integer'), ErrorCode.InvalidField, 'id', false, undefined],
  [new errors.StringTooLongError('line', 1024), ErrorCode.StringTooLong, 'line', false, undefined],
  [new errors.OutOfRangeError('version', 1, 65535), ErrorCode.OutOfRange, 'version', false, undefined],
  [new errors.TooDeepError('args.a', 4), ErrorCode.TooDeep, 'args.a', false, undefined],
  [new errors.ForbiddenKeyError('__proto__'), ErrorCode.ForbiddenKey, '__proto__', false, undefined],
  [
    new errors.UnsupportedVersionError(2, [1]),
    ErrorCode.UnsupportedVersion,
    'version',
    true,
    CloseCode.UnsupportedVersion,
  ],
];

describe('errors', () => {
  it.each(ERRORS)('%s has its code, path and close code', (err, code, path, fatal, closeCode) => {
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(code);
    expect(err.path).toBe(path);
    expect(err.fatal).toBe(fatal);
    expect(err.closeCode).toBe(closeCode);
    expect(err.name).toBe(err.constructor.name);
    expect(err.message.length).toBeGreaterThan(0);
    expect(err.re).toBeUndefined();
  });

  it('has one test case per error class, and a fatal error always has a close code', () => {
    const classes = Object.values(errors).filter(
      (v) => typeof v === 'function' && v.prototype instanceof ProtocolError,
    );
    expect(new Set(ERRORS.map(([e]) => e.constructor))).toEqual(new Set(classes));
    for (const [err] of ERRORS) expect(err.fatal).toBe(err.closeCode !== undefined);
  });

  it('uses unique, well-formed codes', () => {
    expect(new Set(ALL_ERROR_CODES).size).toBe(ALL_ERROR_CODES.length);
    for (const code of ALL_ERROR_CODES) expect(code).toMatch(/^LEV_ERR_[A-Z0-9_]+$/);
  });

  it('carries no stack trace: it describes input, and capturing one is costly', () => {
    const limit = Error.stackTraceLimit;
    const err = new errors.UnknownFieldError('cmd', 'admin');
    expect(err.stack?.split('\n')).toHaveLength(1);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('x').stack?.split('\n').length).toBeGreaterThan(1);
  });

  it('chains the cause', () => {
    const cause = new SyntaxError('Unexpected end of JSON input');
    expect(new errors.InvalidJsonError(cause).cause).toBe(cause);
  });

  it('truncates long user-supplied names in messages', () => {
    const err = new errors.UnknownTypeError('x'.repeat(1000));
    expect(err.message.length).toBeLessThan(100);
  });

  it('gives the wire form of an error', () => {
    const err = new errors.StringTooLongError('line', 1024);
    expect(toErrorMessage(err)).toEqual({
      type: 'error',
      code: ErrorCode.StringTooLong,
      message: '"line" is longer than 1024 characters',
      path: 'line',
    });
    err.re = 5;
    expect(toErrorMessage(err)).toMatchObject({ re: 5 });
    expect(toErrorMessage(err, 'other')).toMatchObject({ re: 'other' });
    const bad = new errors.UnsupportedVersionError(3, [1, 2]);
    expect(toAuthErrorMessage(bad, 'a')).toEqual({
      type: 'auth-error',
      code: ErrorCode.UnsupportedVersion,
      message: 'protocol version 3 is not supported (supported: 1, 2)',
      re: 'a',
    });
    expect(JSON.parse(JSON.stringify(toErrorMessage(new errors.NotAnObjectError())))).toEqual({
      type: 'error',
      code: ErrorCode.NotAnObject,
      message: 'a message must be a JSON object',
    });
  });
});
