import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { closePayload, encodeFrame, FrameError, FrameReader, type FrameSink, OPCODE } from './ws-frames.js';

/** The largest message accepted, as `ws`'s default; a larger one closes the connection with 1009. */
export const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;
/** How long a close waits for the server's close frame before dropping the socket. @default 5000 (ms) */
export const CLOSE_TIMEOUT_MS = 5_000;
/** RFC 6455 §1.3: the server proves it read the key by hashing it with this. */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Who hears from a connection: one owner, set once (a session), rather than event listeners. */
export interface ConnectionOwner {
  onConnectionMessage(text: string): void;
  /** Once, when the socket has closed: the close frame's code and reason, or 1006 without one. */
  onConnectionClose(code: number, reason: string): void;
}

export interface WsConnectOptions {
  /** Reject when no upgrade came within this long. */
  timeoutMs: number;
  localAddress?: string | undefined;
  headers?: Record<string, string> | undefined;
}

enum State {
  Open,
  /** Our close frame is sent; waiting for the server's. */
  Closing,
  Closed,
}

/** Where a socket keeps its connection, for the listeners every connection shares. */
const CONNECTION = Symbol('leviathan.ws-connection');
type ConnectionSocket = net.Socket & { [CONNECTION]?: WsConnection };

/**
 * A WebSocket client connection (RFC 6455) cut to what a load generator needs: text messages
 * out, messages in, ping answered, the close handshake, over `ws://` or `wss://`.
 *
 * Why not `ws`, which the reference loop of `pnpm bench loadgen` uses: measured there (marginal
 * RSS per idle connection, 1,000 vs 3,000, same run), a `ws` client loop held 13,586 B per
 * connection and a loop on this framing 7,129 B. `ws` gives each connection a WebSocket, a
 * Receiver (a Writable stream with its state), a Sender and their listeners; this is one object
 * with a FrameReader that allocates nothing until a frame is split or fragmented, its socket's
 * listeners shared by every connection, and each frame written in one buffer (one `write`, not a
 * cork and a `writev`). In loadgen itself the gain was much smaller (`pnpm bench loadgen`, 5 runs
 * each: memory per idle VU 1.58x the `ws` loop's before, 1.51x after), since what a VU holds besides
 * its socket dominates; the CPU per round trip did not move.
 */
export class WsConnection implements FrameSink {
  readonly #socket: ConnectionSocket;
  readonly #reader = new FrameReader(MAX_MESSAGE_BYTES);
  #owner: ConnectionOwner | undefined;
  /** Bytes that came with the upgrade answer, decoded once an owner is attached. */
  #early: Buffer | undefined;
  #state = State.Open;
  #closeCode = 1006;
  #closeReason = '';
  #closeTimer: NodeJS.Timeout | undefined;
  /** The socket closed before an owner was attached: attach() reports it. */
  #closedUnheard = false;

  private constructor(socket: net.Socket, head: Buffer) {
    this.#socket = socket as ConnectionSocket;
    this.#socket[CONNECTION] = this;
    if (head.length > 0) this.#early = Buffer.from(head);
    socket.setNoDelay(true);
    socket.setTimeout(0);
    socket.on('data', WsConnection.#onSocketData);
    socket.on('close', WsConnection.#onSocketClose);
    socket.on('error', ignoreError);
  }

  static readonly #onSocketData = function (this: ConnectionSocket, chunk: Buffer): void {
    (this[CONNECTION] as WsConnection).#onData(chunk);
  };

  static readonly #onSocketClose = function (this: ConnectionSocket): void {
    (this[CONNECTION] as WsConnection).#onClosed();
  };

  /** Opens a connection: resolves once the server has upgraded it (and proved it with the key). */
  static connect(url: string, options: WsConnectOptions): Promise<WsConnection> {
    return new Promise((resolve, reject) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        reject(new Error(`not a URL: ${url}`));
        return;
      }
      const secure = target.protocol === 'wss:' || target.protocol === 'https:';
      if (!secure && target.protocol !== 'ws:' && target.protocol !== 'http:') {
        reject(new Error(`not a WebSocket URL (ws:// or wss://): ${url}`));
        return;
      }
      const key = randomBytes(16).toString('base64');
      const host = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
      const request = (secure ? https : http).request({
        host,
        port: target.port === '' ? (secure ? 443 : 80) : Number(target.port),
        path: `${target.pathname}${target.search}`,
        ...(target.username === '' ? {} : { auth: `${target.username}:${target.password}` }),
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        headers: {
          ...options.headers,
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': key,
        },
        // A socket of its own, as `ws` does: never one from an agent's pool.
        createConnection: (secure ? tlsConnect : net.connect) as never,
      });
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new Error(`no WebSocket upgrade within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      request.on('error', fail);
      request.on('response', (response) => {
        response.resume();
        fail(new Error(`HTTP ${response.statusCode} instead of an upgrade`));
      });
      request.on('upgrade', (response, socket, head) => {
        const expected = createHash('sha1')
          .update(key + HANDSHAKE_GUID)
          .digest('base64');
        const upgrade = response.headers.upgrade?.toLowerCase();
        const problem =
          upgrade !== 'websocket'
            ? `the server upgraded to ${upgrade ?? 'nothing'}, not websocket`
            : response.headers['sec-websocket-accept'] !== expected
              ? 'the server answered the upgrade with a wrong Sec-WebSocket-Accept'
              : response.headers['sec-websocket-extensions'] !== undefined
                ? 'the server chose an extension this client did not offer'
                : undefined;
        if (problem !== undefined) {
          socket.destroy();
          fail(new Error(problem));
          return;
        }
        if (settled) {
          socket.destroy();
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve(new WsConnection(socket, head));
      });
      request.end();
    });
  }

  /** Whether messages can be sent (open, no close begun). */
  get open(): boolean {
    return this.#state === State.Open;
  }

  /** Sets who hears from this connection, and hands it what came with the upgrade. */
  attach(owner: ConnectionOwner): void {
    if (this.#closedUnheard) {
      this.#closedUnheard = false;
      owner.onConnectionClose(this.#closeCode, this.#closeReason);
      return;
    }
    this.#owner = owner;
    const early = this.#early;
    if (early !== undefined) {
      this.#early = undefined;
      this.#onData(early);
    }
  }

  /** Sends one text message; false when the connection is no longer open. */
  send(text: string): boolean {
    if (this.#state !== State.Open) return false;
    this.#socket.write(encodeFrame(OPCODE.text, text));
    return true;
  }

  /** Starts the close handshake (or, when it is already under way, does nothing). */
  close(code = 1000, reason = ''): void {
    if (this.#state !== State.Open) return;
    this.#state = State.Closing;
    this.#socket.write(encodeFrame(OPCODE.close, closePayload(code, reason)));
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), CLOSE_TIMEOUT_MS);
    this.#closeTimer.unref();
  }

  /** Drops the connection at once, without a close handshake (1006). */
  terminate(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#owner === undefined) {
      this.#early = this.#early === undefined ? Buffer.from(chunk) : Buffer.concat([this.#early, chunk]);
      return;
    }
    if (this.#state === State.Closed) return;
    try {
      this.#reader.push(chunk, this);
    } catch (e) {
      if (!(e instanceof FrameError)) throw e;
      // The server broke the protocol: say why in our close frame, and stop reading.
      this.#closeCode = e.code;
      this.#closeReason = e.message;
      if (this.#state === State.Open) {
        this.#socket.write(encodeFrame(OPCODE.close, closePayload(e.code, e.message)));
      }
      this.#state = State.Closed;
      this.#socket.destroySoon();
    }
  }

  /** @internal FrameSink */
  onFrameMessage(text: string): void {
    if (this.#state === State.Open) this.#owner?.onConnectionMessage(text);
  }

  /** @internal FrameSink: the server's close frame, an answer to ours or its own close. */
  onFrameClose(code: number, reason: string): void {
    this.#closeCode = code;
    this.#closeReason = reason;
    if (this.#state === State.Open) {
      // Echo its code, as RFC 6455 §5.5.1 asks (1005 "no code" is never sent).
      this.#socket.write(encodeFrame(OPCODE.close, code === 1005 ? Buffer.alloc(0) : closePayload(code, '')));
    }
    this.#state = State.Closed;
    this.#socket.destroySoon();
  }

  /** @internal FrameSink */
  onFramePing(payload: Buffer): void {
    if (this.#state === State.Open) this.#socket.write(encodeFrame(OPCODE.pong, payload));
  }

  #onClosed(): void {
    clearTimeout(this.#closeTimer);
    this.#state = State.Closed;
    const owner = this.#owner;
    if (owner === undefined) {
      this.#closedUnheard = true;
      return;
    }
    this.#owner = undefined;
    owner.onConnectionClose(this.#closeCode, this.#closeReason);
  }
}

function ignoreError(): void {
  // 'close' follows and reports the end; an error alone says nothing the owner can act on.
}

function tlsConnect(options: tls.ConnectionOptions & { host?: string }): tls.TLSSocket {
  // SNI needs the host name (an IP address is not one).
  const servername = options.host !== undefined && net.isIP(options.host) === 0 ? options.host : '';
  return tls.connect({ ...options, ...(servername === '' ? {} : { servername }) });
}
