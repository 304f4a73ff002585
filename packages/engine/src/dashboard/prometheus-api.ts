/**
 * The two calls of Prometheus's HTTP API that fleet mode needs (`/api/v1/query` and
 * `/api/v1/query_range`), over the global fetch, each with its own timeout. A failure says what
 * an operator acts on: Prometheus refused, did not answer in time, or rejected the query.
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

interface ApiAnswer {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

type RawVector = Array<{ metric: Record<string, string>; value: [number, string] }>;
type RawMatrix = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

export class PrometheusApi {
  readonly #base: URL;
  readonly #timeoutMs: number;
  readonly #inFlight = new Set<AbortController>();

  /** `url`: Prometheus's address (`http://prometheus:9090`, `prometheus:9090`). */
  constructor(url: string, timeoutMs: number) {
    this.#base = prometheusUrlOf(url);
    this.#timeoutMs = timeoutMs;
  }

  get origin(): string {
    return this.#base.href.replace(/\/$/, '');
  }

  /** The value of `promql` now, one sample per series (a scalar reads as one unlabelled sample). */
  async query(promql: string): Promise<InstantSample[]> {
    const data = await this.#call('api/v1/query', { query: promql });
    if (data.resultType === 'scalar') {
      const [, value] = data.result as [number, string];
      return [{ labels: {}, value: Number(value) }];
    }
    if (data.resultType !== 'vector')
      throw new PrometheusQueryError(`${promql}: a ${data.resultType}, not a vector`);
    return (data.result as RawVector).map((s) => ({ labels: s.metric, value: Number(s.value[1]) }));
  }

  /** `promql` from `startS` to `endS` (epoch seconds), a point every `stepS` seconds. */
  async queryRange(promql: string, startS: number, endS: number, stepS: number): Promise<RangeSeries[]> {
    const data = await this.#call('api/v1/query_range', {
      query: promql,
      start: String(startS),
      end: String(endS),
      step: String(stepS),
    });
    return (data.result as RawMatrix).map((s) => ({
      labels: s.metric,
      points: s.values.map(([t, v]) => [t, Number(v)] as const),
    }));
  }

  /** Aborts every request in flight. */
  abort(): void {
    for (const c of this.#inFlight) c.abort();
    this.#inFlight.clear();
  }

  async #call(
    path: string,
    params: Record<string, string>,
  ): Promise<{ resultType?: string; result?: unknown }> {
    const url = new URL(path, this.#base);
    // The timeout is a timer of our own on the call's controller, not AbortSignal.timeout() in an
    // AbortSignal.any(): Node holds a timeout signal only weakly, and once garbage-collected it
    // never fires, so a Prometheus that never answered hung `top` (seen in this file's test).
    const controller = new AbortController();
    this.#inFlight.add(controller);
    const timer = setTimeout(
      () => controller.abort(new DOMException('timed out', 'TimeoutError')),
      this.#timeoutMs,
    );
    let answer: ApiAnswer;
    let status: number;
    try {
      const response = await fetch(url, {
        method: 'POST',
        body: new URLSearchParams(params),
        signal: controller.signal,
        headers: { accept: 'application/json' },
      });
      status = response.status;
      answer = (await response.json().catch(() => ({}))) as ApiAnswer;
    } catch (err) {
      throw new PrometheusUnreachableError(this.#describeFailure(controller.signal.reason ?? err));
    } finally {
      clearTimeout(timer);
      this.#inFlight.delete(controller);
    }
    if (answer.status === 'success' && answer.data !== undefined) return answer.data;
    // 400 and 422: Prometheus rejected the query; anything else is not a Prometheus answering.
    if (answer.status === 'error' && (status === 400 || status === 422))
      throw new PrometheusQueryError(`${params.query}: ${answer.errorType}: ${answer.error}`);
    throw new PrometheusUnreachableError(
      `${this.origin} answered ${status}${answer.error ? `: ${answer.error}` : ''} (is it Prometheus?)`,
    );
  }

  #describeFailure(err: unknown): string {
    if (err instanceof Error) {
      if (err.name === 'TimeoutError') return `${this.origin} did not answer within ${this.#timeoutMs} ms`;
      if (err.name === 'AbortError') return `${this.origin}: the request was stopped`;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      if (cause?.code === 'ECONNREFUSED')
        return `${this.origin} refused the connection (is Prometheus running?)`;
      if (cause?.code === 'ENOTFOUND') return `${this.#base.hostname} does not resolve`;
      return `${this.origin}: ${cause?.message ?? err.message}`;
    }
    return `${this.origin}: ${String(err)}`;
  }
}

/** `host:port` or `http://host:port[/prefix]` → the base URL the API paths are resolved against. */
export function prometheusUrlOf(address: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TypeError(
      `not a Prometheus address: ${JSON.stringify(address)} (expected host:port or http://host:port)`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}
