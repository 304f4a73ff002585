import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { FORWARDED_HEADER } from '../forwarded-address.js';
import { NodeSocket } from './node-socket.js';
import {
  type HttpAnswer,
  type HttpHandler,
  PROXY_HEADERS,
  type SocketEvents,
  type Transport,
  type TransportOptions,
} from './transport.js';

/** The answer to an upgrade anywhere but `/ws`, or after the gateway stopped accepting. */
const NOT_FOUND_RESPONSE =
  'HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found';

/** Period of the idle sweep, in seconds: the granularity of the idle timeout (uWS's is 4 s). */
const IDLE_TICK_SEC = 1;

/**
 * The transport on Node's own `http` (or `https`) server and `ws`, for where the native uWS does
 * not load. It keeps the uWS transport's behaviour: the message size limit (a larger message
 * drops the connection), the idle timeout with automatic pings at half of it, `maxBackpressure`
 * (sends past it are dropped), close events at once on `end`/`close`, one system call per cork,
 * and HTTP answers that close their connection. Several threads share a port where Node can
 * (`reusePort`, Node 22.12 and later); elsewhere one gateway thread serves it.
 */
export class NodeTransport implements Transport {
  readonly kind = 'node';
  readonly #options: TransportOptions;
  readonly #events: SocketEvents;
  readonly #http: HttpHandler;
  readonly #server: ReturnType<typeof createHttpServer>;
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<NodeSocket>();
  readonly #forget = (socket: NodeSocket): void => {
    this.#sockets.delete(socket);
  };
  #idleSweep: NodeJS.Timeout | undefined = undefined;
  #accepting = true;

  constructor(options: TransportOptions, events: SocketEvents, http: HttpHandler) {
    this.#options = options;
    this.#events = events;
    this.#http = http;
    const { keyFile, certFile } = options.tls;
    const onRequest = (req: IncomingMessage, res: ServerResponse) => this.#request(req, res);
    this.#server =
      keyFile !== undefined && certFile !== undefined
        ? createHttpsServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, onRequest)
        : createHttpServer(onRequest);
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayloadBytes,
      clientTracking: false,
      perMessageDeflate: false,
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#upgrade(req, socket, head),
    );
    if (options.idleTimeoutSec > 0) {
      const timeoutTicks = Math.ceil(options.idleTimeoutSec / IDLE_TICK_SEC);
      const pingTicks = Math.max(1, Math.floor(timeoutTicks / 2));
      this.#idleSweep = setInterval(() => this.#sweep(pingTicks, timeoutTicks), IDLE_TICK_SEC * 1000);
      this.#idleSweep.unref();
    }
  }

  listen(port: number): Promise<number> {
    const { host, sharePort } = this.#options;
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen({ host, port, ...(sharePort ? { reusePort: true } : {}) }, () => {
        this.#server.off('error', reject);
        resolve((this.#server.address() as AddressInfo).port);
      });
    });
  }

  stopAccepting(): void {
    if (!this.#accepting) return;
    this.#accepting = false;
    this.#server.close();
  }

  dispose(): void {
    this.stopAccepting();
    if (this.#idleSweep !== undefined) clearInterval(this.#idleSweep);
    this.#idleSweep = undefined;
    // Sockets still finishing a close handshake, and idle HTTP connections: cut, so the thread ends.
    for (const socket of [...this.#sockets]) socket.terminate();
    this.#sockets.clear();
    this.#server.closeAllConnections();
  }

  #upgrade(req: IncomingMessage, tcp: Duplex, head: Buffer): void {
    if (!this.#accepting || pathOf(req.url) !== '/ws') {
      tcp.end(NOT_FOUND_RESPONSE);
      return;
    }
    const forwarded = req.headers[FORWARDED_HEADER];
    const c = this.#events.accept(
      req.socket.remoteAddress ?? '',
      typeof forwarded === 'string' ? forwarded : '',
    );
    this.#wss.handleUpgrade(req, tcp, head, (ws) => {
      const socket = new NodeSocket(ws, tcp, c, this.#events, this.#options.maxBackpressure, this.#forget);
      this.#sockets.add(socket);
      this.#events.open(c, socket);
    });
  }

  #request(req: IncomingMessage, res: ServerResponse): void {
    const authorization = req.headers.authorization;
    const answer = this.#http((req.method ?? 'GET').toLowerCase(), pathOf(req.url), {
      authorization: typeof authorization === 'string' ? authorization : '',
      peer: req.socket.remoteAddress ?? '',
      proxied: PROXY_HEADERS.some((h) => req.headers[h] !== undefined),
    });
    if (answer instanceof Promise) void answer.then((a) => respond(res, a));
    else respond(res, answer);
  }

  /** Pings sockets quiet for half the idle timeout; cuts those quiet for all of it. */
  #sweep(pingTicks: number, timeoutTicks: number): void {
    for (const socket of this.#sockets) {
      const idle = ++socket.idleTicks;
      if (idle >= timeoutTicks) socket.terminate();
      else if (idle === pingTicks) socket.ping();
    }
  }
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** Writes an answer and closes the connection (as the uWS transport does). */
function respond(res: ServerResponse, answer: HttpAnswer): void {
  if (res.destroyed) return;
  const space = answer.status.indexOf(' ');
  const headers: Record<string, string> = { 'content-type': answer.contentType, connection: 'close' };
  if (answer.noCache === true) headers['cache-control'] = 'no-cache';
  if (answer.headers !== undefined) Object.assign(headers, answer.headers);
  res.writeHead(Number(answer.status.slice(0, space)), answer.status.slice(space + 1), headers);
  res.end(answer.body);
}
