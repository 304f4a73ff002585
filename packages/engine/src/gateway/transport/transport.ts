import type { Connection } from '../connection.js';
import { FORWARDED_HEADER } from '../forwarded-address.js';

/**
 * The gateway's transports: `uws` (native uWebSockets.js, the fast one) and `node` (Node's `http`
 * + `ws`, wherever the native binary does not load). One runs per process (transport/choose.ts
 * picks it in main); the gateway, SocketWriter and the HTTP routes talk only to these interfaces.
 */
export type TransportKind = 'uws' | 'node';

/** What `send` returns, as uWS defines it (`ws.send`'s status). */
export const SendStatus = {
  /** Queued behind what the socket has buffered (backpressure). */
  Backpressure: 0,
  /** Written. */
  Success: 1,
  /** Not written: the socket is past its hard limit (`maxBackpressure`). */
  Dropped: 2,
} as const;

/**
 * A client's WebSocket, as the gateway writes to it. uWS's own `WebSocket` object has exactly
 * this shape, so on the uws transport `Connection.ws` is the uWS socket itself: no wrapper and no
 * extra call on the hot path. The node transport implements it over `ws` with the same semantics.
 */
export interface TransportSocket {
  /** Runs `cb` with the socket's writes batched into one system call. */
  cork(cb: () => void): unknown;
  /** Bytes written but not yet taken by the kernel. */
  getBufferedAmount(): number;
  /** Sends a text message; returns a SendStatus. */
  send(message: string, isBinary?: boolean): number;
  /**
   * Closes with a close frame (`code`, `reason`): the close event runs at once, and after it the
   * socket must not be touched; the TCP connection ends when the client answers (or is cut).
   */
  end(code?: number, reason?: string): void;
  /** Cuts the connection without a close frame; the close event (1006) runs at once. */
  close(): void;
}

/** What happens on the sockets, as the gateway handles it. */
export interface SocketEvents {
  /** A WebSocket upgrade from `peer` (its address as text), with the forwarded-address header. */
  accept(peer: string, forwardedHeader: string): Connection;
  open(c: Connection, socket: TransportSocket): void;
  /** One WebSocket message; `bytes` are only valid during the call. */
  message(c: Connection, bytes: Uint8Array): void;
  close(c: Connection, code: number): void;
}

/** An answer of the HTTP routes beside `/ws`. */
export interface HttpAnswer {
  /** Status line, as uWS writes it: `200 OK`. */
  readonly status: string;
  readonly contentType: string;
  readonly body: string | Buffer;
  /** `Cache-Control: no-cache` (revalidate); `headers` may say `no-store` instead. */
  readonly noCache?: boolean;
  /** Further headers, names in lower case (the dashboard's CSP, `cache-control: no-store`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * What a route may need of a request besides its method and path. uWS's request object is valid
 * only until its handler returns, so a transport reads all of it before the route can await.
 */
export interface HttpRequestInfo {
  /** The `Authorization` header; '' when absent. */
  readonly authorization: string;
  /** The peer's address as text, as the transport prints it (uWS writes IPv6 in full). */
  readonly peer: string;
  /**
   * Whether the request came through a proxy that said so (`Forwarded`, `X-Forwarded-For`,
   * `X-Real-IP`, or the engine's own forwarded-address header): then a loopback peer is the
   * proxy, not the client, and does not count as this machine.
   */
  readonly proxied: boolean;
}

/** The HTTP routes: `method` in lower case, `path` without its query. */
export type HttpHandler = (
  method: string,
  path: string,
  request: HttpRequestInfo,
) => HttpAnswer | Promise<HttpAnswer>;

/**
 * The headers a proxy tells the client's address in, in lower case (see HttpRequestInfo.proxied):
 * the engine's own forwarded-address header and the common ones.
 */
export const PROXY_HEADERS: readonly string[] = Object.freeze([
  FORWARDED_HEADER,
  'forwarded',
  'x-forwarded-for',
  'x-real-ip',
]);

export interface TransportOptions {
  readonly host: string;
  /** TLS key and certificate files; plain TCP when either is missing. */
  readonly tls: { readonly keyFile: string | undefined; readonly certFile: string | undefined };
  /** Largest WebSocket message taken; a larger one drops the connection. */
  readonly maxPayloadBytes: number;
  /** Seconds without traffic before a socket is closed (pinged at half of it); 0 disables. */
  readonly idleTimeoutSec: number;
  /** Bytes a socket may buffer before `send` drops (SendStatus.Dropped). */
  readonly maxBackpressure: number;
  /** Whether other threads listen on the same port (SO_REUSEPORT). */
  readonly sharePort: boolean;
}

/** One gateway thread's listener: `/ws` and the HTTP routes on one port. */
export interface Transport {
  readonly kind: TransportKind;
  /** Listens on `port` (0: any); resolves with the port. */
  listen(port: number): Promise<number>;
  /** Stops accepting connections; open sockets stay. */
  stopAccepting(): void;
  /** Every socket was closed: releases what is left (timers, the server), so the thread can end. */
  dispose(): void;
}
