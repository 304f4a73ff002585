import { CloseCode } from './close-codes.js';
import { ErrorCode } from './error-codes.js';
import type { RequestId } from './messages.js';

/**
 * What ProtocolError extends: a constructor that does nothing, whose prototype inherits from
 * `Error.prototype`. A ProtocolError is `instanceof Error` and reads like one (`name`, `message`,
 * `stack`, `cause`, `toString()`, `util.inspect`), but building one does not run the native Error
 * constructor, a call into V8's runtime that installs `message` and `stack` and looks up
 * `Error.stackTraceLimit`. Measured on node 20, one UnknownFieldError built per operation with
 * every other error class built too (as a server builds them), against JSON.parse of the 66-byte
 * line it reports: v1 (native constructor with `Error.stackTraceLimit` at 0, class fields) 1.3x
 * the JSON.parse; the native constructor alone, 1.1x with the limit at 0 and 0.55x with no stack
 * captured at all; this base with plain stores, 0.4x. The differences from a native error:
 * `util.types.isNativeError()` is false, `Object.prototype.toString` gives `[object Object]`,
 * and `message` is an own enumerable property (so `JSON.stringify` and `Object.keys` show it).
 */
function ProtocolErrorBase(): void {}
ProtocolErrorBase.prototype = Object.create(Error.prototype, {
  constructor: { value: ProtocolErrorBase, writable: true, configurable: true },
  /**
   * `stack`, as the native constructor made it with no frames: `name: message`. A getter rather
   * than an own property set per error; assigning `stack` (or `Error.captureStackTrace`) gives
   * the error an own one, as on any error.
   */
  stack: {
    get(this: Error): string {
      return `${this.name}: ${this.message}`;
    },
    set(this: Error, value: unknown) {
      Object.defineProperty(this, 'stack', { value, writable: true, configurable: true });
    },
    configurable: true,
  },
});
const ErrorLike = ProtocolErrorBase as unknown as ErrorConstructor;

/** Gives an error class its `name`, on its prototype (each error copies it to an own `name`). */
function named(errorClass: { prototype: Error }, name: string): void {
  Object.defineProperty(errorClass.prototype, 'name', { value: name, writable: true, configurable: true });
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Base of every error this package produces. `code` is stable and documented in docs/errors.md;
 * `path` names the field at fault (for example `capabilities[2]`) where there is one; `fatal`
 * errors close the connection with `closeCode`.
 *
 * These errors describe bad input, not faults of the program, and are returned, not thrown: they
 * carry no stack trace (`stack` has the name and message only). A stack would point into the
 * validator, and capturing it made a rejected line cost 4-6x as much as with none (node 20, a
 * `cmd` with an unknown field), a cost any client could make the server pay per line. For the
 * same reason they are not built by the native Error constructor (see ErrorLike above).
 *
 * The fields are `declare`d and assigned, not class fields: this constructor builds every
 * subclass, so each assignment sees as many object shapes as there are subclasses, and V8 defines
 * a class field on such a "megamorphic" site through its runtime, about 0.3 µs a field, where a
 * plain assignment costs a probe of its stub cache (all the fields of one error: 2.0 µs as class
 * fields, 0.11-0.16 µs assigned, measured with 16 subclasses).
 */
export class ProtocolError extends ErrorLike {
  static {
    named(ProtocolError, 'ProtocolError');
  }
  declare readonly name: string;
  declare readonly code: ErrorCode;
  declare readonly path: string | undefined;
  declare readonly fatal: boolean;
  declare readonly closeCode: CloseCode | undefined;
  /**
   * The `id` of the message that failed, when the message was an object with a valid `id`, so the
   * server can answer `{"type":"error","re":...}` and the client can match the error to its request.
   * Set by `validateClientMessage` (and so by `decodeFrame` and `decodeLine`) on every error found
   * once the line has parsed as a JSON object.
   */
  declare re: RequestId | undefined;
  declare message: string;

  constructor(
    code: ErrorCode,
    message: string,
    options: { path?: string; fatal?: boolean; closeCode?: CloseCode; cause?: unknown } = {},
  ) {
    super();
    const self = this as Writable<ProtocolError>;
    // In the order they always had (`Object.keys`, `JSON.stringify`); `name` is the class's.
    self.name = this.name;
    self.code = code;
    self.path = options.path;
    self.fatal = options.fatal ?? false;
    self.closeCode = options.closeCode;
    self.re = undefined;
    self.message = message;
    if (options.cause !== undefined) {
      // Own and not enumerable, as the native constructor defines it. Only the errors about a
      // JSON.parse or UTF-8 failure and about a newer version carry one.
      Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true });
    }
  }
}

export class InvalidJsonError extends ProtocolError {
  static {
    named(InvalidJsonError, 'InvalidJsonError');
  }
  declare readonly name: 'InvalidJsonError';
  constructor(cause?: unknown) {
    super(ErrorCode.InvalidJson, 'message is not valid JSON', { cause });
  }
}

export class InvalidUtf8Error extends ProtocolError {
  static {
    named(InvalidUtf8Error, 'InvalidUtf8Error');
  }
  declare readonly name: 'InvalidUtf8Error';
  constructor(cause?: unknown) {
    super(ErrorCode.InvalidUtf8, 'message is not valid UTF-8', { cause });
  }
}

export class FrameTooLargeError extends ProtocolError {
  static {
    named(FrameTooLargeError, 'FrameTooLargeError');
  }
  declare readonly name: 'FrameTooLargeError';
  constructor(size: number, limit: number) {
    super(ErrorCode.FrameTooLarge, `frame of ${size} bytes exceeds the limit of ${limit} bytes`, {
      fatal: true,
      closeCode: CloseCode.MessageTooBig,
    });
  }
}

export class LineTooLargeError extends ProtocolError {
  static {
    named(LineTooLargeError, 'LineTooLargeError');
  }
  declare readonly name: 'LineTooLargeError';
  constructor(size: number, limit: number) {
    super(ErrorCode.LineTooLarge, `line of ${size} bytes or more exceeds the limit of ${limit} bytes`);
  }
}

export class TooManyMessagesError extends ProtocolError {
  static {
    named(TooManyMessagesError, 'TooManyMessagesError');
  }
  declare readonly name: 'TooManyMessagesError';
  constructor(limit: number) {
    super(ErrorCode.TooManyMessages, `a frame may carry at most ${limit} messages; the rest were dropped`);
  }
}

export class NotAnObjectError extends ProtocolError {
  static {
    named(NotAnObjectError, 'NotAnObjectError');
  }
  declare readonly name: 'NotAnObjectError';
  constructor() {
    super(ErrorCode.NotAnObject, 'a message must be a JSON object');
  }
}

export class MissingTypeError extends ProtocolError {
  static {
    named(MissingTypeError, 'MissingTypeError');
  }
  declare readonly name: 'MissingTypeError';
  constructor() {
    super(ErrorCode.MissingType, 'a message must have a string "type"', { path: 'type' });
  }
}

export class UnknownTypeError extends ProtocolError {
  static {
    named(UnknownTypeError, 'UnknownTypeError');
  }
  declare readonly name: 'UnknownTypeError';
  constructor(type: string) {
    super(ErrorCode.UnknownType, `unknown message type "${truncate(type)}"`, { path: 'type' });
  }
}

export class UnknownFieldError extends ProtocolError {
  static {
    named(UnknownFieldError, 'UnknownFieldError');
  }
  declare readonly name: 'UnknownFieldError';
  constructor(type: string, field: string) {
    const name = truncate(field);
    super(ErrorCode.UnknownField, `unknown field "${name}" in "${type}"`, { path: name });
  }
}

export class MissingFieldError extends ProtocolError {
  static {
    named(MissingFieldError, 'MissingFieldError');
  }
  declare readonly name: 'MissingFieldError';
  constructor(type: string, field: string) {
    super(ErrorCode.MissingField, `"${type}" needs the field "${field}"`, { path: field });
  }
}

export class InvalidFieldError extends ProtocolError {
  static {
    named(InvalidFieldError, 'InvalidFieldError');
  }
  declare readonly name: 'InvalidFieldError';
  constructor(path: string, expected: string) {
    super(ErrorCode.InvalidField, `"${path}" must be ${expected}`, { path });
  }
}

export class StringTooLongError extends ProtocolError {
  static {
    named(StringTooLongError, 'StringTooLongError');
  }
  declare readonly name: 'StringTooLongError';
  constructor(path: string, max: number) {
    super(ErrorCode.StringTooLong, `"${path}" is longer than ${max} characters`, { path });
  }
}

export class OutOfRangeError extends ProtocolError {
  static {
    named(OutOfRangeError, 'OutOfRangeError');
  }
  declare readonly name: 'OutOfRangeError';
  constructor(path: string, min: number, max: number) {
    super(ErrorCode.OutOfRange, `"${path}" must be between ${min} and ${max}`, { path });
  }
}

export class TooDeepError extends ProtocolError {
  static {
    named(TooDeepError, 'TooDeepError');
  }
  declare readonly name: 'TooDeepError';
  constructor(path: string, max: number) {
    super(ErrorCode.TooDeep, `"${path}" nests deeper than ${max} levels`, { path });
  }
}

export class ForbiddenKeyError extends ProtocolError {
  static {
    named(ForbiddenKeyError, 'ForbiddenKeyError');
  }
  declare readonly name: 'ForbiddenKeyError';
  constructor(path: string) {
    super(ErrorCode.ForbiddenKey, `the key "${path}" is not allowed`, { path });
  }
}

export class UnsupportedVersionError extends ProtocolError {
  static {
    named(UnsupportedVersionError, 'UnsupportedVersionError');
  }
  declare readonly name: 'UnsupportedVersionError';
  /** The versions the server speaks, so a client can retry with one of them. */
  readonly supported: readonly number[];
  constructor(version: number, supported: readonly number[], cause?: unknown) {
    super(
      ErrorCode.UnsupportedVersion,
      `protocol version ${version} is not supported (supported: ${supported.join(', ')})`,
      { path: 'version', fatal: true, closeCode: CloseCode.UnsupportedVersion, cause },
    );
    this.supported = supported;
  }
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
