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
export const LOG_REDACT_PATHS: readonly string[] = Object.freeze(buildPaths());

function buildPaths(): string[] {
  // Fields that hold a secret: credentials a client sends (the auth message, AuthRequest) or the
  // engine issues, password hashes, the HMAC secrets (the configuration only names their
  // environment variables; code may not), HTTP credentials, and URLs (`postgres://u:pw@host/db`).
  const secrets = [
    'password',
    'token',
    'resume',
    'passwordHash',
    'secret',
    'previousSecret',
    'hmacSecret',
    'authorization',
    'cookie',
    'url',
  ];
  // Where they sit when a whole object is logged: an AuthRequest, a client message, an account,
  // verifier options, HTTP headers (bare or in pino's req serializer), the store's configuration.
  const containers = [
    'request',
    'auth',
    'account',
    'options',
    'headers',
    'req.headers',
    'store',
    'config.store',
  ];
  return [...secrets, ...containers.flatMap((c) => secrets.map((key) => `${c}.${key}`))];
}

const CENSOR = '[Redacted]';

/**
 * What a redacted field becomes: `[Redacted]`, except a URL, which keeps what it says without its
 * password (`postgres://lev:***@db/game`, `?token=***`); a bare path (`/metrics`) has none to hide.
 */
function censor(value: unknown, path: readonly string[]): unknown {
  if (path[path.length - 1] !== 'url' || typeof value !== 'string') return CENSOR;
  let host = '';
  try {
    host = new URL(value).host;
  } catch {
    // not an absolute URL
  }
  if (host !== '') return redactUrl(value);
  return /[@?]/.test(value) ? CENSOR : value;
}

/** pino's `redact` option for engine loggers. */
export const logRedaction = Object.freeze({
  paths: LOG_REDACT_PATHS as string[],
  censor,
});
