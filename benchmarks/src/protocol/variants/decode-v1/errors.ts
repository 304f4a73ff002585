import { CloseCode, ErrorCode, type RequestId } from '@leviathan/protocol';

/**
 * Base of every error this package produces. `code` is stable and documented in docs/errors.md;
 * `path` names the field at fault (for example `capabilities[2]`) where there is one; `fatal`
 * errors close the connection with `closeCode`.
 *
 * These errors describe bad input, not faults of the program, and are returned, not thrown: they
 * carry no stack trace (`stack` has the name and message only). A stack would point into the
 * validator, and capturing it made a rejected line cost 4-6x as much as with none (node 20, a
 * `cmd` with an unknown field), a cost any client could make the server pay per line.
 */
export class ProtocolError extends Error {
  override readonly name: string = 'ProtocolError';
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly fatal: boolean;
  readonly closeCode: CloseCode | undefined;
  /**
   * The `id` of the message that failed, when the message was an object with a valid `id`, so the
   * server can answer `{"type":"error","re":...}` and the client can match the error to its request.
   * Set by `validateClientMessage`.
   */
  re: RequestId | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { path?: string; fatal?: boolean; closeCode?: CloseCode; cause?: unknown } = {},
  ) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Error.stackTraceLimit = stackTraceLimit;
    this.code = code;
    this.path = options.path;
    this.fatal = options.fatal ?? false;
    this.closeCode = options.closeCode;
    this.re = undefined;
  }
}

export class InvalidJsonError extends ProtocolError {
  override readonly name = 'InvalidJsonError';
  constructor(cause?: unknown) {
    super(ErrorCode.InvalidJson, 'message is not valid JSON', { cause });
  }
}

export class InvalidUtf8Error extends ProtocolError {
  override readonly name = 'InvalidUtf8Error';
  constructor(cause?: unknown) {
    super(ErrorCode.InvalidUtf8, 'message is not valid UTF-8', { cause });
  }
}

export class FrameTooLargeError extends ProtocolError {
  override readonly name = 'FrameTooLargeError';
  constructor(size: number, limit: number) {
    super(ErrorCode.FrameTooLarge, `frame of ${size} bytes exceeds the limit of ${limit} bytes`, {
      fatal: true,
      closeCode: CloseCode.MessageTooBig,
    });
  }
}

export class LineTooLargeError extends ProtocolError {
  override readonly name = 'LineTooLargeError';
  constructor(size: number, limit: number) {
    super(ErrorCode.LineTooLarge, `line of ${size} bytes or more exceeds the limit of ${limit} bytes`);
  }
}

export class TooManyMessagesError extends ProtocolError {
  override readonly name = 'TooManyMessagesError';
  constructor(limit: number) {
    super(ErrorCode.TooManyMessages, `a frame may carry at most ${limit} messages; the rest were dropped`);
  }
}

export class NotAnObjectError extends ProtocolError {
  override readonly name = 'NotAnObjectError';
  constructor() {
    super(ErrorCode.NotAnObject, 'a message must be a JSON object');
  }
}

export class MissingTypeError extends ProtocolError {
  override readonly name = 'MissingTypeError';
  constructor() {
    super(ErrorCode.MissingType, 'a message must have a string "type"', { path: 'type' });
  }
}

export class UnknownTypeError extends ProtocolError {
  override readonly name = 'UnknownTypeError';
  constructor(type: string) {
    super(ErrorCode.UnknownType, `unknown message type "${truncate(type)}"`, { path: 'type' });
  }
}

export class UnknownFieldError extends ProtocolError {
  override readonly name = 'UnknownFieldError';
  constructor(type: string, field: string) {
    super(ErrorCode.UnknownField, `unknown field "${truncate(field)}" in "${type}"`, {
      path: truncate(field),
    });
  }
}

export class MissingFieldError extends ProtocolError {
  override readonly name = 'MissingFieldError';
  constructor(type: string, field: string) {
    super(ErrorCode.MissingField, `"${type}" needs the field "${field}"`, { path: field });
  }
}

export class InvalidFieldError extends ProtocolError {
  override readonly name = 'InvalidFieldError';
  constructor(path: string, expected: string) {
    super(ErrorCode.InvalidField, `"${path}" must be ${expected}`, { path });
  }
}

export class StringTooLongError extends ProtocolError {
  override readonly name = 'StringTooLongError';
  constructor(path: string, max: number) {
    super(ErrorCode.StringTooLong, `"${path}" is longer than ${max} characters`, { path });
  }
}

export class OutOfRangeError extends ProtocolError {
  override readonly name = 'OutOfRangeError';
  constructor(path: string, min: number, max: number) {
    super(ErrorCode.OutOfRange, `"${path}" must be between ${min} and ${max}`, { path });
  }
}

export class TooDeepError extends ProtocolError {
  override readonly name = 'TooDeepError';
  constructor(path: string, max: number) {
    super(ErrorCode.TooDeep, `"${path}" nests deeper than ${max} levels`, { path });
  }
}

export class ForbiddenKeyError extends ProtocolError {
  override readonly name = 'ForbiddenKeyError';
  constructor(path: string) {
    super(ErrorCode.ForbiddenKey, `the key "${path}" is not allowed`, { path });
  }
}

export class UnsupportedVersionError extends ProtocolError {
  override readonly name = 'UnsupportedVersionError';
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
