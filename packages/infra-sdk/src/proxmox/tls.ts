import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { PveConfigError, PveTlsError } from './errors.js';

/** How the client checks the Proxmox server's certificate. Verified against the system CAs by default. */
export interface PveTlsOptions {
  /** PEM CA certificate(s) to trust instead of the system store (e.g. the cluster's `pve-root-ca.pem`). */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /**
   * SHA-256 fingerprint of the server's certificate to pin, as the Proxmox GUI shows it
   * (`AB:CD:...`; case and colons do not matter). The pin replaces CA verification, which is what
   * a self-signed Proxmox node needs.
   */
  readonly fingerprint?: string;
  /** Accept any certificate. Only for throwaway labs; never the default. @default false */
  readonly insecure?: boolean;
}

/** Tunables of the HTTP connection pool. */
export interface PvePoolOptions {
  /**
   * Connections per origin.
   * @default 8
   */
  readonly connections?: number;
  /**
   * Keep-alive time of an idle connection, in milliseconds. pveproxy closes idle connections
   * after 5 s, so stay below that to avoid writing into a closing socket.
   * @default 4000
   */
  readonly keepAliveTimeoutMs?: number;
}

export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/[:\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new PveConfigError('tls.fingerprint must be a SHA-256 fingerprint (64 hex digits, colons allowed)');
  }
  return hex;
}

/** One undici Agent per client, with the TLS policy built into its connector. */
export function createAgent(tls: PveTlsOptions = {}, pool: PvePoolOptions = {}): Agent {
  if (tls.insecure && tls.fingerprint) {
    throw new PveConfigError('tls.insecure and tls.fingerprint exclude each other');
  }
  const pin = tls.fingerprint ? normalizeFingerprint(tls.fingerprint) : undefined;
  const base = buildConnector({
    rejectUnauthorized: !tls.insecure && !pin,
    ...(tls.ca ? { ca: tls.ca as string | Buffer | Array<string | Buffer> } : {}),
    // A resumed TLS session carries no certificate (`getPeerCertificate()` is empty), so a pin
    // cannot be checked on it, and undici's session cache also keeps the sessions of servers the
    // pin rejected: resuming one of those would skip the check. With a pin, every connection
    // makes a full handshake. It costs one handshake per new pooled connection (keep-alive
    // reuses a connection for many requests), nothing per request.
    ...(pin ? { maxCachedSessions: 0 } : {}),
  });
  const connect: buildConnector.connector = (opts, callback) => {
    base(opts, (err, socket) => {
      if (err || !pin || !socket || opts.protocol !== 'https:') {
        // biome-ignore lint/suspicious/noExplicitAny: undici's callback is a union of tuples
        (callback as any)(err, socket);
        return;
      }
      const tlsSocket = socket as TLSSocket;
      // Never trust a resumed session under a pin (see maxCachedSessions above): refuse it rather
      // than accept a connection whose certificate was not checked.
      const cert = tlsSocket.isSessionReused?.() ? undefined : tlsSocket.getPeerCertificate?.();
      const got = cert?.fingerprint256 ? normalizeFingerprint(cert.fingerprint256) : '';
      if (got !== pin) {
        socket.destroy();
        callback(
          new PveTlsError(
            `certificate fingerprint of ${opts.hostname}:${opts.port} is ${cert?.fingerprint256 ?? 'unknown'}, not the pinned one`,
          ),
          null,
        );
        return;
      }
      callback(null, socket);
    });
  };
  return new Agent({
    connect,
    connections: pool.connections ?? 8,
    keepAliveTimeout: pool.keepAliveTimeoutMs ?? 4000,
  });
}
