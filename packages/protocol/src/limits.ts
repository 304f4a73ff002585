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

/**
 * The limits a server applies: DEFAULT_LIMITS with some overridden, checked once at startup.
 * Throws a RangeError for a limit that is not a positive integer: a NaN or negative limit would
 * silently disable its check (every comparison with NaN is false).
 */
export function resolveLimits(overrides: Partial<ProtocolLimits> = {}): ProtocolLimits {
  const limits: ProtocolLimits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    assertPositiveInteger(name, value);
  }
  return Object.freeze(limits);
}

/** Throws a RangeError unless `value` is a positive safe integer (programming errors, not wire errors). */
export function assertPositiveInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
}

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
