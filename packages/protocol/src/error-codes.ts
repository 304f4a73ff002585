/**
 * Every error code that can appear on the wire, in `error.code` and `auth-error.code`. Codes are
 * stable: a code is never reused for another meaning. Each one is described in docs/errors.md.
 */
export const ErrorCode = {
  // Decoding and validation of client input (a ProtocolError carries one of these).
  InvalidJson: 'LEV_ERR_PROTOCOL_INVALID_JSON',
  InvalidUtf8: 'LEV_ERR_PROTOCOL_INVALID_UTF8',
  FrameTooLarge: 'LEV_ERR_PROTOCOL_FRAME_TOO_LARGE',
  LineTooLarge: 'LEV_ERR_PROTOCOL_LINE_TOO_LARGE',
  TooManyMessages: 'LEV_ERR_PROTOCOL_TOO_MANY_MESSAGES',
  NotAnObject: 'LEV_ERR_PROTOCOL_NOT_AN_OBJECT',
  MissingType: 'LEV_ERR_PROTOCOL_MISSING_TYPE',
  UnknownType: 'LEV_ERR_PROTOCOL_UNKNOWN_TYPE',
  UnknownField: 'LEV_ERR_PROTOCOL_UNKNOWN_FIELD',
  MissingField: 'LEV_ERR_PROTOCOL_MISSING_FIELD',
  InvalidField: 'LEV_ERR_PROTOCOL_INVALID_FIELD',
  StringTooLong: 'LEV_ERR_PROTOCOL_STRING_TOO_LONG',
  OutOfRange: 'LEV_ERR_PROTOCOL_OUT_OF_RANGE',
  TooDeep: 'LEV_ERR_PROTOCOL_TOO_DEEP',
  ForbiddenKey: 'LEV_ERR_PROTOCOL_FORBIDDEN_KEY',
  UnsupportedVersion: 'LEV_ERR_PROTOCOL_UNSUPPORTED_VERSION',
  // Session rules enforced by the server.
  NotAuthenticated: 'LEV_ERR_NOT_AUTHENTICATED',
  AlreadyAuthenticated: 'LEV_ERR_ALREADY_AUTHENTICATED',
  AuthFailed: 'LEV_ERR_AUTH_FAILED',
  AuthExpired: 'LEV_ERR_AUTH_EXPIRED',
  AuthRateLimited: 'LEV_ERR_AUTH_RATE_LIMITED',
  AlreadyConnected: 'LEV_ERR_ALREADY_CONNECTED',
  RateLimited: 'LEV_ERR_RATE_LIMITED',
  ServerFull: 'LEV_ERR_SERVER_FULL',
  ServerShuttingDown: 'LEV_ERR_SERVER_SHUTTING_DOWN',
  ShardUnavailable: 'LEV_ERR_SHARD_UNAVAILABLE',
  UnknownCommand: 'LEV_ERR_UNKNOWN_COMMAND',
  CommandFailed: 'LEV_ERR_COMMAND_FAILED',
  Forbidden: 'LEV_ERR_FORBIDDEN',
  Internal: 'LEV_ERR_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** All codes, for docs checks and exhaustive tests. */
export const ALL_ERROR_CODES: readonly ErrorCode[] = Object.freeze(Object.values(ErrorCode));
