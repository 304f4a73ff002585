import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DashboardListenError, UsageError } from '../../errors.js';
import type { Summary } from '../../summary/summary.js';
import type { IntervalPoint, LiveOutput, RunInfo } from '../live-output.js';
import { type DashboardEvent, DashboardHistory } from './dashboard-history.js';
import { pagePolicy, renderPage } from './page-document.js';

/** k6's web dashboard port, and this machine only unless asked. */
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';
export const DEFAULT_DASHBOARD_PORT = 5665;

export interface WebDashboardOptions {
  /** Address to listen on. @default '127.0.0.1' (this machine only) */
  host?: string;
  /** Port; 0 takes any free one (read `url` after start). @default 5665 */
  port?: number;
  /** Told the page's address once it listens. @default writes `web dashboard: URL` to stderr */
  announce?: (url: string) => void;
}

/** `HOST:PORT`, `[V6]:PORT`, `:PORT` or `PORT` (host 127.0.0.1) of `--out web-dashboard=…`. */
export function parseDashboardAddress(target: string | undefined): { host: string; port: number } {
  if (target === undefined) return { host: DEFAULT_DASHBOARD_HOST, port: DEFAULT_DASHBOARD_PORT };
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]*):)?(\d{1,5})$/.exec(target);
  const port = Number(m?.[2]);
  if (m === null || port > 65535)
    throw new UsageError(
      `--out web-dashboard=${target}: expected HOST:PORT such as 127.0.0.1:5665 (port 0: any free port)`,
    );
  const host = m[1] === undefined || m[1] === '' ? DEFAULT_DASHBOARD_HOST : m[1].replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * `--out web-dashboard[=HOST:PORT]`: a page that plots the run as it goes, from node:http. `/` is
 * the page (page-document.ts), `/events` the run as Server-Sent Events (every point since the
 * start, then each as it comes, then the end), `/report.html` the report as it would be written
 * now. The server is up from start() (after setup(), before the first VU) to close().
 */
export class WebDashboard implements LiveOutput {
  readonly #host: string;
  readonly #port: number;
  readonly #announce: (url: string) => void;
  readonly #history = new DashboardHistory();
  readonly #streams = new Set<ServerResponse>();
  #server: Server | undefined;
  #url: string | undefined;

  constructor(options: WebDashboardOptions = {}) {
    this.#host = options.host ?? DEFAULT_DASHBOARD_HOST;
    this.#port = options.port ?? DEFAULT_DASHBOARD_PORT;
    this.#announce = options.announce ?? ((url) => process.stderr.write(`web dashboard: ${url}\n`));
  }

  /** The page's address once listening (with the port taken when 0 was asked). */
  get url(): string | undefined {
    return this.#url;
  }

  async start(info: RunInfo): Promise<void> {
    const server = createServer((req, res) => this.#answer(req, res));
    const display = this.#host.includes(':') ? `[${this.#host}]` : this.#host;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new DashboardListenError(`${display}:${this.#port}`, e)));
      server.listen(this.#port, this.#host, resolve);
    });
    this.#server = server;
    const { port } = server.address() as AddressInfo;
    this.#url = `http://${display}:${port}/`;
    this.#history.start(info);
    this.#history.subscribe((event) => {
      const text = eventText(event);
      for (const res of this.#streams) res.write(text);
      if (event.type === 'end') for (const res of this.#streams) res.end();
    });
    this.#announce(this.#url);
    if (!LOOPBACK.test(this.#host))
      this.#announce(
        `(listening on ${display}: anyone who reaches this address sees the run; there is no access control)`,
      );
  }

  interval(point: IntervalPoint): void {
    this.#history.add(point);
  }

  async end(summary: Summary): Promise<void> {
    this.#history.finish(summary);
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    for (const res of this.#streams) res.end();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  #answer(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (!this.#hostAllowed(req.headers.host)) {
      res
        .writeHead(403, { 'content-type': 'text/plain' })
        .end('this dashboard answers to its own address only\n');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    } else if (path === '/' || path === '/index.html') {
      this.#page(res, renderPage());
    } else if (path === '/report.html') {
      this.#page(res, renderPage(this.#history.data), 'leviathan-load-report.html');
    } else if (path === '/events') {
      this.#events(req, res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  }

  /**
   * On a loopback address, only requests naming a loopback host: a web page whose own name was
   * made to resolve to 127.0.0.1 (DNS rebinding) would otherwise read the run from the browser.
   * On an address asked for explicitly, any host: the user chose to open it to the network.
   */
  #hostAllowed(host: string | undefined): boolean {
    if (!LOOPBACK.test(this.#host)) return true;
    const name = (host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    return LOOPBACK.test(name);
  }

  #page(res: ServerResponse, html: string, download?: string): void {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `${pagePolicy()}; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      ...(download === undefined ? {} : { 'content-disposition': `attachment; filename="${download}"` }),
    });
    res.end(html);
  }

  /** The run so far (after the client's Last-Event-ID, when it reconnects), then live. */
  #events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // A reverse proxy (nginx) must pass each event on at once.
      'x-accel-buffering': 'no',
    });
    const after = Number(req.headers['last-event-id'] ?? -1);
    const { start, points, end } = this.#history.data;
    res.write('retry: 1000\n\n');
    if (start !== undefined) res.write(eventText({ type: 'start', data: start }));
    for (const p of points) if (!(p.i <= after)) res.write(eventText({ type: 'point', data: p }));
    if (end !== undefined) {
      res.write(eventText({ type: 'end', data: end }));
      res.end();
      return;
    }
    this.#streams.add(res);
    res.on('close', () => this.#streams.delete(res));
  }
}

/** One SSE event; a point carries its interval number as id (the page's Last-Event-ID). */
function eventText(event: DashboardEvent): string {
  const id = event.type === 'point' ? `id: ${event.data.i}\n` : '';
  return `event: ${event.type}\n${id}data: ${JSON.stringify(event.data)}\n\n`;
}
