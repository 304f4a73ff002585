import { LOGIN_OPTIONS_PATH, type LoginOptions } from '@leviathan/protocol';
import { dashboardRoutes } from '../dashboard/dashboard-routes.js';
import { epochNow } from '../shard/tick-loop.js';
import type { GatewayContext } from './gateway-context.js';
import { StaticFiles } from './static-files.js';
import type { HttpAnswer, HttpHandler, TransportKind } from './transport/transport.js';

const HEALTHY: HttpAnswer = { status: '200 OK', contentType: 'application/json', body: '{"status":"ok"}' };
const NOT_FOUND: HttpAnswer = { status: '404 Not Found', contentType: 'text/plain', body: 'not found' };

/**
 * The HTTP routes beside `/ws` on the same port, whichever transport serves them: `/healthz` (the
 * process answers), `/readyz` (every shard ticking, the store ready, not shutting down: from the
 * shared heartbeat, no message to another thread; and which transport runs), `/metrics` (every
 * thread's, aggregated by main), `/login-options` (how logins are taken, so a client draws the
 * right form: the protocol's `LoginOptions`), `/dashboard` when enabled
 * (dashboard/dashboard-routes.ts) and the static files of `webRoot`. Transports close the
 * connection after each answer.
 */
export function httpRoutes(ctx: GatewayContext, transport: TransportKind, login: LoginOptions): HttpHandler {
  // Encoded once: the mode cannot change while the gateway runs.
  const loginOptions: HttpAnswer = {
    status: '200 OK',
    contentType: 'application/json',
    body: JSON.stringify(login),
    noCache: true,
  };
  const files = ctx.config.webRoot ? new StaticFiles(ctx.config.webRoot) : undefined;
  const dashboard = dashboardRoutes({
    enabled: ctx.config.dashboard.enabled,
    // Read here, as the HMAC secret is (auth/create-auth-verifier.ts): never in the configuration.
    token: process.env[ctx.config.dashboard.tokenEnv],
    snapshot: () => ctx.host.dashboardSnapshot(),
    notFound: NOT_FOUND,
    log: ctx.log,
  });
  return (method, path, request) => {
    // Before the static files: `/dashboard/…` is the engine's, on or off (dashboard-routes.ts).
    const answer = dashboard(method, path, request);
    if (answer !== undefined) return answer;
    if (method === 'get') {
      if (path === '/healthz') return HEALTHY;
      if (path === '/readyz') return readyz(ctx, transport);
      if (path === '/metrics') return metrics(ctx);
      if (path === LOGIN_OPTIONS_PATH) return loginOptions;
    }
    const file = files !== undefined && (method === 'get' || method === 'head') ? files.get(path) : undefined;
    if (file === undefined) return NOT_FOUND;
    return {
      status: '200 OK',
      contentType: file.type,
      body: method === 'head' ? '' : file.body,
      noCache: true,
    };
  };
}

function readyz(ctx: GatewayContext, transport: TransportKind): HttpAnswer {
  const state = ctx.heartbeat.ready(epochNow(), ctx.config.shardStallMs);
  return {
    status: state.ready ? '200 OK' : '503 Service Unavailable',
    contentType: 'application/json',
    body: JSON.stringify({
      status: state.ready ? 'ready' : 'not-ready',
      store: ctx.heartbeat.storeReady(),
      shuttingDown: ctx.heartbeat.shuttingDown(),
      transport,
      shards: state.shards,
    }),
  };
}

function metrics(ctx: GatewayContext): Promise<HttpAnswer> {
  return ctx.host.metricsText().then(
    (text): HttpAnswer => ({
      status: '200 OK',
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      body: text,
    }),
    (err: unknown): HttpAnswer => {
      ctx.log.error({ err }, 'metrics collection failed');
      return {
        status: '500 Internal Server Error',
        contentType: 'text/plain',
        body: 'metrics collection failed',
      };
    },
  );
}
