import type { HttpRequest, HttpResponse, TemplatedApp, us_listen_socket } from 'uWebSockets.js';
import type { Connection } from '../connection.js';
import { FORWARDED_HEADER } from '../forwarded-address.js';
import { loadUws, type Uws } from './choose.js';
import {
  type HttpAnswer,
  type HttpHandler,
  type HttpRequestInfo,
  PROXY_HEADERS,
  type SocketEvents,
  type Transport,
  type TransportOptions,
  type TransportSocket,
} from './transport.js';

/** What uWS keeps per socket. */
interface UserData {
  readonly c: Connection;
}

/**
 * The native transport: a uWebSockets.js App. Its WebSocket objects are the TransportSockets
 * themselves (`Connection.ws`), so writes cost what they cost before there was a choice.
 */
export class UwsTransport implements Transport {
  readonly kind = 'uws';
  readonly #uws: Uws;
  readonly #app: TemplatedApp;
  readonly #host: string;
  #listenSocket: us_listen_socket | undefined;

  constructor(options: TransportOptions, events: SocketEvents, http: HttpHandler) {
    const native = loadUws();
    if ('error' in native) throw native.error;
    const uws = native.uws;
    this.#uws = uws;
    this.#host = options.host;
    const { keyFile, certFile } = options.tls;
    this.#app =
      keyFile !== undefined && certFile !== undefined
        ? uws.SSLApp({ key_file_name: keyFile, cert_file_name: certFile })
        : uws.App();
    this.#app.ws<UserData>('/ws', {
      maxPayloadLength: options.maxPayloadBytes,
      idleTimeout: options.idleTimeoutSec,
      sendPingsAutomatically: true,
      maxBackpressure: options.maxBackpressure,
      closeOnBackpressureLimit: 0,
      upgrade: (res, req, context) => {
        const key = req.getHeader('sec-websocket-key');
        const protocol = req.getHeader('sec-websocket-protocol');
        const extensions = req.getHeader('sec-websocket-extensions');
        const peer = Buffer.from(res.getRemoteAddressAsText()).toString();
        const c = events.accept(peer, req.getHeader(FORWARDED_HEADER));
        // uWS copies the user data's own properties into its own object (a class instance loses
        // its prototype), so the Connection travels inside a plain holder.
        res.upgrade<UserData>({ c }, key, protocol, extensions, context);
      },
      open: (ws) => events.open(ws.getUserData().c, ws as TransportSocket),
      message: (ws, message) => events.message(ws.getUserData().c, new Uint8Array(message)),
      close: (ws, code) => events.close(ws.getUserData().c, code),
    });
    // Every answer closes its connection (`end(body, true)`): a keep-alive socket would outlive
    // the thread at shutdown, and a thread that exits with uWS sockets open aborts the process.
    this.#app.any('/*', (res, req) => {
      // Everything read from `req` and the peer address now: both are gone after the first await.
      const info: HttpRequestInfo = {
        authorization: req.getHeader('authorization'),
        peer: Buffer.from(res.getRemoteAddressAsText()).toString(),
        proxied: isProxied(req),
      };
      const answer = http(req.getMethod(), req.getUrl(), info);
      if (!(answer instanceof Promise)) {
        write(res, answer);
        return;
      }
      let aborted = false;
      res.onAborted(() => {
        aborted = true;
      });
      void answer.then((a) => {
        if (!aborted) res.cork(() => write(res, a));
      });
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#app.listen(this.#host, port, (socket) => {
        if (socket === false) {
          reject(new Error(`listen failed on ${this.#host}:${port}`));
          return;
        }
        this.#listenSocket = socket;
        resolve(this.#uws.us_socket_local_port(socket as never));
      });
    });
  }

  stopAccepting(): void {
    if (this.#listenSocket === undefined) return;
    this.#uws.us_listen_socket_close(this.#listenSocket);
    this.#listenSocket = undefined;
  }

  /**
   * Closes the listen socket and every socket still open, including those whose close frame was
   * sent but not yet answered (a client that does not read never answers): a thread that ends
   * with any uWS socket open aborts the whole process (`uv_loop_close` with open handles).
   */
  dispose(): void {
    this.#listenSocket = undefined;
    this.#app.close();
  }
}

function isProxied(req: HttpRequest): boolean {
  for (const name of PROXY_HEADERS) if (req.getHeader(name) !== '') return true;
  return false;
}

function write(res: HttpResponse, answer: HttpAnswer): void {
  res.writeStatus(answer.status).writeHeader('content-type', answer.contentType);
  if (answer.noCache === true) res.writeHeader('cache-control', 'no-cache');
  if (answer.headers !== undefined) {
    for (const [name, value] of Object.entries(answer.headers)) res.writeHeader(name, value);
  }
  res.end(answer.body, true);
}
