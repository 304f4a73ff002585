/** Limits applied while decoding client input. Every field can be overridden by the server. */
export interface ProtocolLimits {
  /**
   * Largest WebSocket message accepted, in bytes.
   * @default 65536
   */
  readonly maxFrameBytes: number;
  /**
   * Largest single JSON line, in bytes (a frame may carry several lines; a TCP stream is split
   * into lines).
   * @default 16384
   */
  readonly maxLineBytes: number;
  /**
   * Most messages decoded from one WebSocket message.
   * @default 64
   */
  readonly maxMessagesPerFrame: number;
  /**
   * Deepest nesting of objects and arrays inside a message, the message itself counting as 1.
   * @default 4
   */
  readonly maxDepth: number;
  /**
   * Length of a command line typed by a player, in UTF-16 code units.
   * @default 1024
   */
  readonly maxCommandLength: number;
}

export const DEFAULT_LIMITS: ProtocolLimits = Object.freeze({
  maxFrameBytes: 64 * 1024,
  maxLineBytes: 16 * 1024,
  maxMessagesPerFrame: 64,
  maxDepth: 4,
  maxCommandLength: 1024,
});

/** Fixed bounds of fields, part of the v1 contract. */
export const FieldBounds = {
  usernameMin: 1,
  usernameMax: 32,
  tokenMax: 4096,
  passwordMax: 256,
  idStringMax: 64,
  capabilitiesMax: 16,
  capabilityLengthMax: 32,
  actionNameMax: 64,
  actionArgsKeysMax: 32,
  actionArgStringMax: 1024,
} as const;

/** Usernames: a letter, then letters, digits, `_` or `-`; 1 to 32 characters. */
export const USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
