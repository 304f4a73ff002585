import { UnsupportedVersionError } from './errors.js';
import type { AuthMessage, RegisterMessage } from './messages.js';
import { ALL_CAPABILITIES, type Capability, PROTOCOL_VERSION, SUPPORTED_VERSIONS } from './version.js';

/** What a server speaks: passed to `negotiate` for each login. Build it once at startup. */
export interface ServerSupport {
  /**
   * Protocol versions the server accepts.
   * @default SUPPORTED_VERSIONS ([1])
   */
  readonly versions: readonly number[];
  /**
   * Capabilities the server is willing to grant; its order is the order of `auth-ok.capabilities`.
   * @default ALL_CAPABILITIES
   */
  readonly capabilities: readonly string[];
}

/** What a server speaks by default: every version and capability this package knows. */
export const DEFAULT_SERVER_SUPPORT: ServerSupport = Object.freeze({
  versions: SUPPORTED_VERSIONS,
  capabilities: ALL_CAPABILITIES,
});

/** The outcome of a successful negotiation, to put in `auth-ok` and to keep for the session. */
export interface Negotiated {
  /** The protocol version of this connection. */
  readonly version: number;
  /** The capabilities granted: asked for by the client and offered by the server, no duplicates. */
  readonly capabilities: Capability[];
}

/**
 * Chooses the version and capabilities of a connection from its validated `auth` or `register`.
 * A message without `version` asks for version 1. A version the server does not accept gives an
 * UnsupportedVersionError (fatal: answer `auth-error`, then close with 4008); its `supported`
 * lists the versions the client may retry with. Capabilities the server does not know or does not
 * offer are ignored, never an error, so a client can ask a newer set of an older server.
 */
export function negotiate(
  message: Pick<AuthMessage | RegisterMessage, 'version' | 'capabilities'>,
  server: ServerSupport = DEFAULT_SERVER_SUPPORT,
): Negotiated | UnsupportedVersionError {
  const version = message.version ?? PROTOCOL_VERSION;
  if (!server.versions.includes(version)) return new UnsupportedVersionError(version, server.versions);
  const asked = message.capabilities;
  const capabilities: Capability[] = [];
  if (asked !== undefined && asked.length > 0) {
    for (const capability of server.capabilities) {
      if (asked.includes(capability)) capabilities.push(capability as Capability);
    }
  }
  return { version, capabilities };
}
