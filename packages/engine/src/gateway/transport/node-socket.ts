import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import type { Connection } from '../connection.js';
import { SendStatus, type SocketEvents, type TransportSocket } from './transport.js';

/**
 * How long a socket that was closed with a close frame has to answer it before the TCP connection
 * is cut, in ms. `ws` waits 30 s; a slow consumer that never reads would hold its buffers that
 * long (SocketWriter gives the same 2 s to the uWS transport's sockets).
 */
const CLOSE_GRACE_MS = 2_000;

/** WebSocket close reasons are at most 123 bytes (RFC 6455 §5.5: control frames carry ≤ 125). */
const MAX_REASON_BYTES = 123;

/**
 * A `ws` WebSocket with uWS's semantics (TransportSocket): `send` reports backpressure and drops
 * past `maxBackpressure`; `end` and `close` run the close event at once, after which the socket is
 * never used again; `cork` batches the writes of a callback into one system call (the TCP socket's
 * own cork: `ws` writes each frame's header and payload under a nested cork of its own).
 */
export class NodeSocket implements TransportSocket {
  readonly c: Connection;
  /** Idle-check ticks since the last traffic from the client (NodeTransport's idle sweep). */
  idleTicks = 0;
  readonly #ws: WebSocket;
  readonly #tcp: Duplex;
  readonly #events: SocketEvents;
  readonly #maxBackpressure: number;
  readonly #gone: (socket: NodeSocket) => void;
  /** The close event ran: the gateway has let go of this socket. */
  #reported = false;
  #cutTimer: NodeJS.Timeout | undefined = undefined;

  constructor(
    ws: WebSocket,
    tcp: Duplex,
    c: Connection,
    events: SocketEvents,
    maxBackpressure: number,
    gone: (socket: NodeSocket) => void,
  ) {
    this.c = c;
    this.#ws = ws;
    this.#tcp = tcp;
    this.#events = events;
    this.#maxBackpressure = maxBackpressure;
    this.#gone = gone;
    ws.on('message', (data: Buffer) => {
      this.idleTicks = 0;
      if (!this.#reported) events.message(c, data);
    });
    ws.on('pong', () => {
      this.idleTicks = 0;
    });
    ws.on('ping', () => {
      this.idleTicks = 0;
    });
    // A protocol error or a reset: the close event follows, with its code.
    ws.on('error', () => {});
    ws.on('close', (code: number) => {
      if (this.#cutTimer !== undefined) clearTimeout(this.#cutTimer);
      this.#cutTimer = undefined;
      this.#report(code);
      this.#gone(this);
    });
  }

  cork(cb: () => void): void {
    const tcp = this.#tcp;
    tcp.cork();
    try {
      cb();
    } finally {
      tcp.uncork();
    }
  }

  getBufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  send(message: string): number {
    if (this.#reported) return SendStatus.Dropped;
    const buffered = this.#ws.bufferedAmount;
    if (buffered > this.#maxBackpressure) return SendStatus.Dropped;
    this.#ws.send(message);
    return buffered > 0 ? SendStatus.Backpressure : SendStatus.Success;
  }

  end(code = 1000, reason = ''): void {
    if (this.#reported) return;
    try {
      this.#ws.close(code, fitReason(reason));
    } catch {
      // A code `ws` refuses to send (1005, 1006): cut the connection instead.
      this.#ws.terminate();
    }
    this.#report(code);
    // The client has a grace time to answer the close frame (one that does not read never will).
    if (this.#ws.readyState !== this.#ws.CLOSED) {
      this.#cutTimer = setTimeout(() => {
        this.#cutTimer = undefined;
        this.#ws.terminate();
      }, CLOSE_GRACE_MS);
    }
  }

  close(): void {
    if (this.#reported) return;
    this.#ws.terminate();
    this.#report(1006);
  }

  /** Sends a ping (the idle sweep, as uWS's sendPingsAutomatically). */
  ping(): void {
    if (!this.#reported) this.#ws.ping();
  }

  /** Cuts the connection whatever its state (thread shutdown, idle timeout). */
  terminate(): void {
    this.#ws.terminate();
    this.#report(1006);
  }

  #report(code: number): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#events.close(this.c, code);
  }
}

function fitReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_REASON_BYTES) return reason;
  let fitted = reason.slice(0, MAX_REASON_BYTES);
  while (Buffer.byteLength(fitted) > MAX_REASON_BYTES) fitted = fitted.slice(0, -1);
  return fitted;
}
