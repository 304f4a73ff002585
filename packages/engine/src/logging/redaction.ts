import { redactUrl } from '../config/redact-config.js';

/**
 * Paths of log fields that can hold a secret, in pino's `redact` syntax: what is found there is
 * written as `"[Redacted]"` (a URL keeps its host and loses its password). The engine never logs
 * these on purpose; the list stops one that slips through (a game logging a whole auth request, an
 * error carrying a request, the configuration). Extend it in your own logger:
 * `pino({ redact: [...LOG_REDACT_PATHS, 'my.secret'] })`.
 *
 * Every path starts with a named key, never `*`: pino applies a path to the top-level key it starts
 * with, so a named path costs nothing on a line that does not have that key, while a leading `*`
 * would run the redactor on every value of every line. No path starts with `msg` either: pino
 * would run that one on every line's message.
 */
export const LOG_REDACT_PATHS: readonly string[] = Object.freeze([
  // Credentials a client sends (the auth message, AuthRequest) and the engine issues.
  'password',
  'token',
  'resume',
  'passwordHash',
  'request.password',
  'request.token',
  'auth.password',
  'auth.token',
  'auth.resume',
  'account.passwordHash',
  // The HMAC secrets (the configuration only names their environment variables; code may not).
  'secret',
  'previousSecret',
  'hmacSecret',
  'options.secret',
  'options.previousSecret',
  // HTTP credentials (headers, pino's req serializer).
  'authorization',
  'cookie',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  // The store URL's password (`postgres://user:password@host/db`): the URL stays, the password goes.
  'url',
  'store.url',
  'config.store.url',
]);

const CENSOR = '[Redacted]';

/** What a redacted field becomes: a URL without its password, or `[Redacted]`. */
function censor(value: unknown, path: readonly string[]): unknown {
  return path[path.length - 1] === 'url' && typeof value === 'string' ? redactUrl(value) : CENSOR;
}

/** pino's `redact` option for engine loggers. */
export const logRedaction = Object.freeze({
  paths: LOG_REDACT_PATHS as string[],
  censor,
});
