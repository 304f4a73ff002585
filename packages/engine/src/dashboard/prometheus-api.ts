import {
  PrometheusAbortedError,
  PrometheusApiError,
  PrometheusClient,
  PrometheusNetworkError,
  PrometheusTimeoutError,
} from '@leviathan/infra-sdk';
import { httpUrlOf } from './http-address.js';

/**
 * The two calls of Prometheus's HTTP API that fleet mode needs (`/api/v1/query` and
 * `/api/v1/query_range`), through @leviathan/infra-sdk's typed client, with the failures sorted
 * into what `leviathan top` does about them: Prometheus did not answer (refused, timed out, not
 * Prometheus: the whole source is unreachable) or rejected one query (that figure is missing).
 */

/** One series of an instant query: its labels and value (NaN stays NaN; the caller judges it). */
export interface InstantSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One series of a range query: its labels and its points, `[epoch seconds, value]`. */
export interface RangeSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: readonly (readonly [number, number])[];
}

/** Prometheus did not answer (refused, timed out, not Prometheus): the whole source is unreachable. */
export class PrometheusUnreachableError extends Error {
  override readonly name = 'PrometheusUnreachableError';
}

/** Prometheus answered, and rejected this query (bad PromQL, a query that timed out inside it). */
export class PrometheusQueryError extends Error {
  override readonly name = 'PrometheusQueryError';
}

/** Queries a fleet view asks at once (every figure and the grid): one connection each, at most. */
const CONNECTIONS = 8;

export class PrometheusApi {
  readonly #base: URL;
  readonly #timeoutMs: number;
  readonly #client: PrometheusClient;
  readonly #inFlight = new Set<AbortController>();

  /** `url`: Prometheus's address (`http://prometheus:9090`, `prometheus:9090`). */
  constructor(url: string, timeoutMs: number) {
    this.#base = prometheusUrlOf(url);
    this.#timeoutMs = timeoutMs;
    this.#client = new PrometheusClient({ url: this.#base.href, timeoutMs, connections: CONNECTIONS });
  }

  get origin(): string {
    return this.#base.href.replace(/\/$/, '');
  }

  /**
   * The value of `promql` at `atS` (epoch seconds; Prometheus's now when absent), one sample per
   * series (a scalar reads as one unlabelled sample).
   */
  async query(promql: string, atS?: number): Promise<InstantSample[]> {
    const options = atS === undefined ? {} : { time: atS };
    const { data } = await this.#call(promql, (signal) => this.#client.query(promql, { ...options, signal }));
    if (data.resultType === 'scalar') return [{ labels: {}, value: data.result.value }];
    if (data.resultType !== 'vector')
      throw new PrometheusQueryError(`${promql}: a ${data.resultType}, not a vector`);
    return data.result.map((s) => ({ labels: s.metric, value: s.value ?? Number.NaN }));
  }

  /** `promql` from `startS` to `endS` (epoch seconds), a point every `stepS` seconds. */
  async queryRange(promql: string, startS: number, endS: number, stepS: number): Promise<RangeSeries[]> {
    const { data } = await this.#call(promql, (signal) =>
      this.#client.queryRange(promql, { start: startS, end: endS, step: stepS, signal }),
    );
    return data.result.map((s) => ({
      labels: s.metric,
      points: s.values.map((p) => [p.time, p.value] as const),
    }));
  }

  /** Aborts every request in flight and lets the client's connections go. */
  abort(): void {
    for (const c of this.#inFlight) c.abort();
    this.#inFlight.clear();
    void this.#client.close().catch(() => {});
  }

  async #call<T>(promql: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.#inFlight.add(controller);
    try {
      return await call(controller.signal);
    } catch (err) {
      throw this.#sorted(err, promql);
    } finally {
      this.#inFlight.delete(controller);
    }
  }

  /** The client's error as the view acts on it, in an operator's words. */
  #sorted(err: unknown, promql: string): Error {
    // 400 and 422: Prometheus rejected the query; any other API error is not Prometheus answering it.
    if (err instanceof PrometheusApiError && (err.status === 400 || err.status === 422))
      return new PrometheusQueryError(`${promql}: ${err.message.replace(`${err.endpoint}: `, '')}`);
    if (err instanceof PrometheusTimeoutError)
      return new PrometheusUnreachableError(`${this.origin} did not answer within ${this.#timeoutMs} ms`);
    if (err instanceof PrometheusAbortedError)
      return new PrometheusUnreachableError(`${this.origin}: the request was stopped`);
    if (err instanceof PrometheusNetworkError) {
      const cause = err.cause as { code?: string; message?: string } | undefined;
      if (cause?.code === 'ECONNREFUSED')
        return new PrometheusUnreachableError(
          `${this.origin} refused the connection (is Prometheus running?)`,
        );
      if (cause?.code === 'ENOTFOUND')
        return new PrometheusUnreachableError(`${this.#base.hostname} does not resolve`);
      return new PrometheusUnreachableError(`${this.origin}: ${cause?.message ?? err.message}`);
    }
    const message = err instanceof Error ? err.message : String(err);
    return new PrometheusUnreachableError(`${this.origin}: ${message} (is it Prometheus?)`);
  }
}

/** `host:port` or `http://host:port[/prefix]` → the base URL the API paths are resolved against. */
export function prometheusUrlOf(address: string): URL {
  const url = httpUrlOf(address, 'a Prometheus');
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}
