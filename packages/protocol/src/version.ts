/** The protocol version this package speaks. A client may ask for it with `auth.version`. */
export const PROTOCOL_VERSION = 1 as const;

/** Every version a v1 server accepts. Versioning rules are in docs/protocol.md. */
export const SUPPORTED_VERSIONS: readonly number[] = [1];

/**
 * Optional features a client asks for in `auth.capabilities`; the server answers with the ones it
 * granted in `auth-ok.capabilities`. Unknown capabilities are ignored, never an error, so clients
 * can ask newer servers for more.
 */
export const Capability = {
  /** The server may put several newline-separated messages in one WebSocket message. */
  BatchedFrames: 'batch',
  /** The client wants structured events (`room`, `presence`, `chat`, `vitals`) beside plain `text`. */
  StructuredEvents: 'events',
} as const;
export type Capability = (typeof Capability)[keyof typeof Capability];

/** Every capability this package knows, in the order a server lists them in `auth-ok`. */
export const ALL_CAPABILITIES: readonly Capability[] = Object.freeze(Object.values(Capability));
