/**
 * WebSocket close codes the server uses. 1000-1015 are RFC 6455 §7.4.1; 4000-4999 are private
 * use (RFC 6455 §7.4.2) and are Leviathan's. A client should reconnect after `GoingAway`,
 * `ServerRestart` and `TryAgainLater`, and should not after the others without a change.
 */
export const CloseCode = {
  /** Normal close: the client quit, or the server said `bye` after `quit`. */
  Normal: 1000,
  /** The server is shutting down. Reconnect with backoff. */
  GoingAway: 1001,
  /** The peer broke the WebSocket protocol itself. */
  ProtocolError: 1002,
  /** A frame was larger than the limit (`maxFrameBytes`). */
  MessageTooBig: 1009,
  /** An unexpected server error. */
  InternalError: 1011,
  /** The server is at its connection limit. Reconnect later. */
  TryAgainLater: 1013,
  /** Authentication failed: bad token or password. */
  AuthFailed: 4001,
  /** No `auth` arrived before the deadline. */
  AuthTimeout: 4002,
  /** The client sent commands faster than its rate limit for too long. */
  RateLimited: 4003,
  /** The client did not read: its outbound buffer passed the bound. */
  SlowConsumer: 4004,
  /** The client stayed idle past the idle timeout. */
  Idle: 4005,
  /** Another login took this character over. */
  TakenOver: 4006,
  /** The client sent too many invalid messages. */
  TooManyErrors: 4007,
  /** The client asked for a protocol version the server does not speak. */
  UnsupportedVersion: 4008,
  /** An administrator removed the client. */
  Kicked: 4009,
  /** The character is already playing and takeover is refused by configuration. */
  AlreadyConnected: 4010,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

const names = new Map<number, string>(Object.entries(CloseCode).map(([k, v]) => [v, k]));

/** The name of a close code, for logs and metrics labels ("unknown" for others). */
export function closeCodeName(code: number): string {
  return names.get(code) ?? 'unknown';
}
