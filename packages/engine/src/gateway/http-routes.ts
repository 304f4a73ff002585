import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { epochNow } from '../shard/tick-loop.js';
import type { GatewayContext } from './gateway-context.js';
import { StaticFiles } from './static-files.js';

/**
 * The HTTP routes beside `/ws` on the same port: `/healthz` (the process answers), `/readyz`
 * (every shard ticking, the store ready, not shutting down: from the shared heartbeat, no message
 * to another thread), `/metrics` (every thread's, aggregated by main) and the static files of
 * `webRoot`. Every answer closes its connection (`end(body, true)`): a keep-alive socket would
 * outlive the thread at shutdown, and a thread that exits with uWS sockets open aborts the process.
 */
export function addHttpRoutes(app: TemplatedApp, ctx: GatewayContext): void {
  const files = ctx.config.webRoot ? new StaticFiles(ctx.config.webRoot) : undefined;
  app.get('/healthz', (res) => {
    res.writeHeader('content-type', 'application/json').end('{"status":"ok"}', true);
  });
  app.get('/readyz', (res) => readyz(res, ctx));
  app.get('/metrics', (res) => metrics(res, ctx));
  app.any('/*', (res, req) => staticFile(res, req, files));
}

function readyz(res: HttpResponse, ctx: GatewayContext): void {
  const state = ctx.heartbeat.ready(epochNow(), ctx.config.shardStallMs);
  const body = JSON.stringify({
    status: state.ready ? 'ready' : 'not-ready',
    store: ctx.heartbeat.storeReady(),
    shuttingDown: ctx.heartbeat.shuttingDown(),
    shards: state.shards,
  });
  res.writeStatus(state.ready ? '200 OK' : '503 Service Unavailable');
  res.writeHeader('content-type', 'application/json').end(body, true);
}

function metrics(res: HttpResponse, ctx: GatewayContext): void {
  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  ctx.host.metricsText().then(
    (text) => {
      if (aborted) return;
      res.cork(() => {
        res.writeHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8').end(text, true);
      });
    },
    (err: unknown) => {
      ctx.log.error({ err }, 'metrics collection failed');
      if (aborted) return;
      res.cork(() => {
        res.writeStatus('500 Internal Server Error').end('metrics collection failed', true);
      });
    },
  );
}

function staticFile(res: HttpResponse, req: HttpRequest, files: StaticFiles | undefined): void {
  const method = req.getMethod();
  const file =
    files !== undefined && (method === 'get' || method === 'head') ? files.get(req.getUrl()) : undefined;
  if (file === undefined) {
    res.writeStatus('404 Not Found').writeHeader('content-type', 'text/plain').end('not found', true);
    return;
  }
  res.writeHeader('content-type', file.type).writeHeader('cache-control', 'no-cache');
  res.end(method === 'head' ? '' : file.body, true);
}
