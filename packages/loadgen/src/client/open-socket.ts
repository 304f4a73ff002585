import { performance } from 'node:perf_hooks';
import { ConnectFailedError } from '../errors.js';
import { type ConnectOptions, DEFAULT_TIMEOUT_MS, type SessionContext } from './session-options.js';
import { WsConnection } from './ws-connection.js';

/**
 * Opens the WebSocket of a session: waits for one of the worker's connect slots (when it has a
 * bound; client/connect-slots.ts), resolves once upgraded, recording `ws_connecting` from the
 * intended time (the VU's pacer, so the wait for a slot counts) and counting `ws_sessions`; rejects
 * with ConnectFailedError (and counts `ws_errors`) on an error, a non-upgrade answer or no upgrade
 * within `timeoutMs` of getting its slot.
 */
export async function openSocket(
  url: string,
  ctx: SessionContext,
  options: ConnectOptions,
): Promise<WsConnection> {
  const startMs = ctx.pacer.take(performance.now());
  const slots = ctx.connectSlots;
  if (slots !== undefined) await slots.acquire();
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
  } finally {
    slots?.release();
  }
  ctx.metrics.connecting.addScaled(Math.round((performance.now() - startMs) * 1000), ctx.tags, options.tags);
  ctx.metrics.sessions.add(1, options.tags, ctx.tags);
  return connection;
}
