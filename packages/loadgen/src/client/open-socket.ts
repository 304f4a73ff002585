import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { ConnectFailedError } from '../errors.js';
import { type ConnectOptions, DEFAULT_TIMEOUT_MS, type SessionContext } from './session-options.js';

/**
 * Opens the WebSocket of a session: resolves once upgraded, recording `ws_connecting` from the
 * intended time (the VU's pacer) and counting `ws_sessions`; rejects with ConnectFailedError (and
 * counts `ws_errors`) on an error, a non-upgrade answer or no upgrade within `timeoutMs`.
 */
export function openSocket(url: string, ctx: SessionContext, options: ConnectOptions): Promise<WebSocket> {
  const startMs = ctx.pacer.take(performance.now());
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
    });
    // Our own timer rather than ws's handshakeTimeout, whose Timeout stayed referenced for the
    // connection's life (one per connection in a heap snapshot of the idle scenario).
    const timer = setTimeout(() => fail(new Error(`no WebSocket upgrade within ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: unknown) => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      ctx.metrics.errors.add(1, options.tags, ctx.tags);
      reject(new ConnectFailedError(url, err));
    };
    ws.once('error', fail);
    ws.once('unexpected-response', (_req, res) =>
      fail(new Error(`HTTP ${res.statusCode} instead of an upgrade`)),
    );
    ws.once('open', () => {
      clearTimeout(timer);
      ws.removeAllListeners('error');
      ws.removeAllListeners('unexpected-response');
      ctx.metrics.connecting.addScaled(
        Math.round((performance.now() - startMs) * 1000),
        ctx.tags,
        options.tags,
      );
      ctx.metrics.sessions.add(1, options.tags, ctx.tags);
      resolve(ws);
    });
  });
}
