/**
 * A Prometheus exporter for a Proxmox VE cluster: every scrape of `/metrics` reads the cluster afresh
 * (no background polling: Prometheus's scrape interval is the only clock, and a stale figure can
 * never be served as a fresh one). A failed read still answers 200 with `pve_scrape_success 0`, so
 * Prometheus tells "Proxmox unreachable" (this alert) from "exporter down" (`up == 0`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ProxmoxClient } from '../client.js';
import { collectPveHealth, type PveHealth } from './collect.js';
import { PVE_METRICS_CONTENT_TYPE, renderPveMetrics } from './metrics.js';

export interface PveExporterOptions {
  /** The client the exporter reads with; the caller keeps it and closes it. */
  readonly client: ProxmoxClient;
  /**
   * Port to listen on; 0 picks a free one.
   * @default 9221 (prometheus-pve-exporter's port, so existing scrape configs fit)
   */
  readonly port?: number;
  /**
   * Address to listen on. Loopback by default: the metrics name every guest, so exposing them
   * further is a choice to make explicitly.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Time limit of one read of the Proxmox API, in milliseconds. Lowered per scrape to Prometheus's
   * own timeout (`X-Prometheus-Scrape-Timeout-Seconds`) less half a second, so the exporter
   * answers `pve_scrape_success 0` before Prometheus gives up on it.
   * @default 8000 (under Prometheus's default 10 s scrape timeout)
   */
  readonly timeoutMs?: number;
  /** Where log lines go (one line per event, no trailing newline). @default a line on stderr */
  readonly log?: (line: string) => void;
}

export interface PveExporter {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends open connections. Does not close the client. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 8000;

/** Starts the exporter: `/metrics` (a fresh read per scrape) and `/healthz` (the process is up). */
export async function createPveExporter(options: PveExporterOptions): Promise<PveExporter> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const host = options.host ?? '127.0.0.1';
  // Scrapes that arrive while a read is in flight (two Prometheus servers, a retry) share it
  // rather than doubling the load on the Proxmox API.
  let inFlight: Promise<string> | undefined;
  let lastFailure = '';

  const scrape = async (limitMs: number): Promise<string> => {
    const started = performance.now();
    let health: PveHealth | undefined;
    try {
      health = await collectPveHealth(options.client, { timeoutMs: limitMs });
      if (lastFailure) log('pve-exporter: reading the Proxmox API works again');
      lastFailure = '';
    } catch (err) {
      // Logged on every failed scrape but once per distinct message, so a long outage is one line.
      const message = err instanceof Error ? err.message : String(err);
      if (message !== lastFailure) log(`pve-exporter: reading the Proxmox API failed: ${message}`);
      lastFailure = message;
    }
    return renderPveMetrics({ health, durationSeconds: (performance.now() - started) / 1000 });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    if (path === '/healthz') {
      send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
      return;
    }
    if (path !== '/metrics') {
      send(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics\n');
      return;
    }
    const header = Number(req.headers['x-prometheus-scrape-timeout-seconds']);
    const limitMs =
      Number.isFinite(header) && header > 0
        ? Math.max(500, Math.min(timeoutMs, header * 1000 - 500))
        : timeoutMs;
    inFlight ??= scrape(limitMs).finally(() => {
      inFlight = undefined;
    });
    send(res, 200, PVE_METRICS_CONTENT_TYPE, await inFlight);
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Rendering cannot fail on a reading that was made; this is the last guard so a bug costs
      // one scrape, not the process.
      log(
        `pve-exporter: ${req.url} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9221, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
