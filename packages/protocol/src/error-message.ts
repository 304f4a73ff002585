import type { ProtocolError } from './errors.js';
import type { AuthErrorMessage, ErrorMessage, RequestId } from './messages.js';

/**
 * The wire form of a ProtocolError: `{"type":"error","code":...,"message":...,"path":...,"re":...}`.
 * `re` defaults to the id the error carries (set by validation when the bad message had a valid id).
 */
export function toErrorMessage(error: ProtocolError, re: RequestId | undefined = error.re): ErrorMessage {
  const message: ErrorMessage = { type: 'error', code: error.code, message: error.message };
  if (error.path !== undefined) message.path = error.path;
  if (re !== undefined) message.re = re;
  return message;
}

/** The wire form of an error that answers `auth` or `register` (such as UnsupportedVersionError). */
export function toAuthErrorMessage(
  error: ProtocolError,
  re: RequestId | undefined = error.re,
): AuthErrorMessage {
  const message: AuthErrorMessage = { type: 'auth-error', code: error.code, message: error.message };
  if (re !== undefined) message.re = re;
  return message;
}
