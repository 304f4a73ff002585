import type { DashboardSnapshot } from './dashboard-snapshot.js';
import type { DashboardSource } from './dashboard-source.js';
import { ExpositionSampler, type ExpositionSamplerOptions } from './exposition-sampler.js';
import { httpUrlOf } from './http-address.js';

export interface NodeSourceOptions extends Omit<ExpositionSamplerOptions, 'target'> {
  /** Longest wait for one `/metrics` answer, in ms. @default 2000 */
  readonly timeoutMs?: number;
}

/**
 * One engine, read from its `/metrics`: `url` is the engine's address (`http://10.0.0.5:8080`,
 * `10.0.0.5:8080`) or the metrics URL itself.
 */
export function nodeSource(url: string, options: NodeSourceOptions = {}): DashboardSource {
  const metricsUrl = metricsUrlOf(url);
  const target = metricsUrl.origin;
  const sampler = new ExpositionSampler({ ...options, target });
  const timeoutMs = options.timeoutMs ?? 2_000;
  let inFlight: AbortController | undefined;
  return {
    target,
    async sample(): Promise<DashboardSnapshot> {
      // A timer of our own, not AbortSignal.timeout(): Node holds a timeout signal only weakly,
      // and once garbage-collected it never fires (prometheus-api.ts).
      const controller = new AbortController();
      inFlight = controller;
      const timer = setTimeout(
        () => controller.abort(new DOMException('timed out', 'TimeoutError')),
        timeoutMs,
      );
      try {
        const response = await fetch(metricsUrl, {
          signal: controller.signal,
          headers: { accept: 'text/plain' },
        });
        const text = await response.text();
        if (!response.ok)
          return sampler.unreachable(`${metricsUrl.href} answered ${response.status}`, Date.now());
        return sampler.add(text, Date.now());
      } catch (err) {
        const why = describeFailure(controller.signal.reason ?? err, metricsUrl, timeoutMs);
        return sampler.unreachable(why, Date.now());
      } finally {
        clearTimeout(timer);
        inFlight = undefined;
      }
    },
    close() {
      inFlight?.abort();
    },
  };
}

/** `host:port`, `http://host:port` or `http://host:port/metrics` → the metrics URL. */
export function metricsUrlOf(address: string): URL {
  const url = httpUrlOf(address, 'an engine');
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/metrics';
  return url;
}

/** Why a fetch failed, in the words an operator acts on (refused, timed out, not an exposition). */
function describeFailure(err: unknown, url: URL, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return `${url.origin} did not answer within ${timeoutMs} ms`;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED')
      return `${url.origin} refused the connection (is the engine running?)`;
    if (cause?.code === 'ENOTFOUND') return `${url.hostname} does not resolve`;
    if (err.name === 'ExpositionParseError')
      return `${url.href} is not a Prometheus exposition: ${err.message}`;
    return `${url.origin}: ${cause?.message ?? err.message}`;
  }
  return `${url.origin}: ${String(err)}`;
}
