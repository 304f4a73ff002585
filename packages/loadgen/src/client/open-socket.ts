import { performance } from 'node:perf_hooks';
import { ConnectFailedError } from '../errors.js';
import { type ConnectOptions, DEFAULT_TIMEOUT_MS, type SessionContext } from './session-options.js';
import { WsConnection } from './ws-connection.js';

/**
 * Opens the WebSocket of a session: resolves once upgraded, recording `ws_connecting` from the
 * intended time (the VU's pacer) and counting `ws_sessions`; rejects with ConnectFailedError (and
 * counts `ws_errors`) on an error, a non-upgrade answer or no upgrade within `timeoutMs`.
 */
export async function openSocket(
  url: string,
  ctx: SessionContext,
  options: ConnectOptions,
): Promise<WsConnection> {
  const startMs = ctx.pacer.take(performance.now());
  let connection: WsConnection;
  try {
    connection = await WsConnection.connect(url, {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      localAddress: options.localAddress,
      headers: options.headers,
    });
  } catch (err) {
    ctx.metrics.errors.add(1, options.tags, ctx.tags);
    throw new ConnectFailedError(url, err);
  }
  ctx.metrics.connecting.addScaled(Math.round((performance.now() - startMs) * 1000), ctx.tags, options.tags);
  ctx.metrics.sessions.add(1, options.tags, ctx.tags);
  return connection;
}
