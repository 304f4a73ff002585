import { type Dispatcher, Pool } from 'undici';
import {
  decodeAlerts,
  decodeBuildInfo,
  decodeMetadata,
  decodeQueryResult,
  decodeRuleGroups,
  decodeSeries,
  decodeStrings,
  decodeTargets,
} from './decode.js';
import {
  PrometheusAbortedError,
  PrometheusApiError,
  PrometheusBadDataError,
  PrometheusCanceledError,
  PrometheusConfigError,
  PrometheusExecutionError,
  PrometheusHttpError,
  PrometheusInternalError,
  PrometheusNetworkError,
  PrometheusNotAcceptableError,
  PrometheusNotFoundError,
  PrometheusQueryTimeoutError,
  PrometheusResponseError,
  PrometheusTimeoutError,
  PrometheusUnavailableError,
} from './errors.js';
import type {
  ActiveAlert,
  BuildInfo,
  Labels,
  MatrixResult,
  MetricMetadata,
  PromResponse,
  QueryResult,
  RuleGroup,
  Targets,
} from './types.js';

/** A point in time: a Date, Unix seconds, or an RFC 3339 string. */
export type PromTime = Date | number | string;

export interface PrometheusClientOptions {
  /** Base URL, with a path prefix if Prometheus runs under one (`--web.route-prefix`). */
  readonly url: string;
  /** Per-call limit, in milliseconds, covering connect, headers and body. @default 30_000 */
  readonly timeoutMs?: number;
  /** Headers sent with every call, e.g. `authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Connections kept to Prometheus when the client makes its own pool. @default 4 */
  readonly connections?: number;
  /** Largest answer read, in bytes. @default 67_108_864 (64 MiB) */
  readonly maxResponseBytes?: number;
  /** An undici dispatcher to use instead of the client's own pool (a proxy agent, TLS options). */
  readonly dispatcher?: Dispatcher;
}

/** Per-call options. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call, in milliseconds. */
  readonly timeoutMs?: number;
}

export interface QueryOptions extends CallOptions {
  /** Evaluation time. @default now (Prometheus's clock) */
  readonly time?: PromTime;
  /** Prometheus-side evaluation timeout, a duration such as `5s`. @default Prometheus's -query.timeout */
  readonly evaluationTimeout?: string;
  /** Largest number of series returned (Prometheus 2.50+; ignored before). */
  readonly limit?: number;
}

export interface RangeQueryOptions extends CallOptions {
  readonly start: PromTime;
  readonly end: PromTime;
  /** Resolution: seconds, or a duration such as `15s`. */
  readonly step: number | string;
  readonly evaluationTimeout?: string;
}

export interface MatchOptions extends CallOptions {
  /** Series selectors (`match[]`); build them with `selector()`. */
  readonly match?: readonly string[];
  readonly start?: PromTime;
  readonly end?: PromTime;
  /** Largest number of results (Prometheus 2.50+). */
  readonly limit?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

const API_ERRORS: Record<
  string,
  new (
    init: ConstructorParameters<typeof PrometheusApiError>[0],
  ) => PrometheusApiError
> = {
  bad_data: PrometheusBadDataError,
  execution: PrometheusExecutionError,
  timeout: PrometheusQueryTimeoutError,
  canceled: PrometheusCanceledError,
  internal: PrometheusInternalError,
  unavailable: PrometheusUnavailableError,
  not_found: PrometheusNotFoundError,
  not_acceptable: PrometheusNotAcceptableError,
};

function formatTime(time: PromTime): string {
  if (time instanceof Date) return time.toISOString();
  return String(time);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((w): w is string => typeof w === 'string') : [];
}

/**
 * A typed client for Prometheus's HTTP API (`/api/v1`) on undici. Queries go as POST forms, so
 * long selectors never hit URL length limits; every call has a timeout and takes an AbortSignal;
 * API errors become one class per `errorType`; warnings come back with the data.
 *
 * @example
 * const prom = new PrometheusClient({ url: 'http://127.0.0.1:9090' });
 * const { data } = await prom.query(selector('up', { job: 'leviathan-engine' }));
 * await prom.close();
 */
export class PrometheusClient {
  readonly #origin: string;
  readonly #prefix: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #timeoutMs: number;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #maxResponseBytes: number;

  constructor(options: PrometheusClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (error) {
      throw new PrometheusConfigError(`${options.url} is not a URL: ${(error as Error).message}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new PrometheusConfigError(`${options.url}: only http and https are supported`);
    }
    this.#origin = url.origin;
    this.#prefix = url.pathname.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#headers = options.headers ?? {};
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new Pool(url.origin, { connections: options.connections ?? 4 });
  }

  /** Evaluates an instant query (`/api/v1/query`). */
  async query(query: string, options: QueryOptions = {}): Promise<PromResponse<QueryResult>> {
    const form = new URLSearchParams({ query });
    if (options.time !== undefined) form.set('time', formatTime(options.time));
    if (options.evaluationTimeout !== undefined) form.set('timeout', options.evaluationTimeout);
    if (options.limit !== undefined) form.set('limit', String(options.limit));
    return this.#api('/api/v1/query', form, options, decodeQueryResult);
  }

  /** Evaluates a range query (`/api/v1/query_range`); the result is always a matrix. */
  async queryRange(query: string, options: RangeQueryOptions): Promise<PromResponse<MatrixResult>> {
    const form = new URLSearchParams({
      query,
      start: formatTime(options.start),
      end: formatTime(options.end),
      step: String(options.step),
    });
    if (options.evaluationTimeout !== undefined) form.set('timeout', options.evaluationTimeout);
    return this.#api('/api/v1/query_range', form, options, (data) => {
      const result = decodeQueryResult(data);
      if (result.resultType !== 'matrix') {
        throw new PrometheusResponseError(`query_range answered a ${result.resultType}, not a matrix`);
      }
      return result;
    });
  }

  /** Series matching the selectors (`/api/v1/series`); at least one selector is required. */
  async series(
    match: readonly string[],
    options: Omit<MatchOptions, 'match'> = {},
  ): Promise<PromResponse<Labels[]>> {
    if (match.length === 0) throw new PrometheusConfigError('series needs at least one selector');
    return this.#api('/api/v1/series', this.#matchForm({ ...options, match }), options, decodeSeries);
  }

  /** Label names (`/api/v1/labels`), optionally of the series matching `match`. */
  async labels(options: MatchOptions = {}): Promise<PromResponse<string[]>> {
    return this.#api('/api/v1/labels', this.#matchForm(options), options, decodeStrings);
  }

  /** Values of one label (`/api/v1/label/<name>/values`). */
  async labelValues(name: string, options: MatchOptions = {}): Promise<PromResponse<string[]>> {
    const path = `/api/v1/label/${encodeURIComponent(name)}/values`;
    return this.#api(path, this.#matchForm(options), options, decodeStrings, 'GET');
  }

  /** Scrape targets (`/api/v1/targets`). */
  async targets(
    options: CallOptions & { readonly state?: 'active' | 'dropped' | 'any' } = {},
  ): Promise<PromResponse<Targets>> {
    const params = new URLSearchParams();
    if (options.state) params.set('state', options.state);
    return this.#api('/api/v1/targets', params, options, decodeTargets, 'GET');
  }

  /** Recording and alerting rules with their state (`/api/v1/rules`). */
  async rules(
    options: CallOptions & { readonly type?: 'alert' | 'record' } = {},
  ): Promise<PromResponse<RuleGroup[]>> {
    const params = new URLSearchParams();
    if (options.type) params.set('type', options.type);
    return this.#api('/api/v1/rules', params, options, decodeRuleGroups, 'GET');
  }

  /** Active alerts (`/api/v1/alerts`). */
  async alerts(options: CallOptions = {}): Promise<PromResponse<ActiveAlert[]>> {
    return this.#api('/api/v1/alerts', new URLSearchParams(), options, decodeAlerts, 'GET');
  }

  /** Metric metadata from the targets (`/api/v1/metadata`), by metric name. */
  async metadata(
    options: CallOptions & { readonly metric?: string; readonly limit?: number } = {},
  ): Promise<PromResponse<Record<string, MetricMetadata[]>>> {
    const params = new URLSearchParams();
    if (options.metric !== undefined) params.set('metric', options.metric);
    if (options.limit !== undefined) params.set('limit', String(options.limit));
    return this.#api('/api/v1/metadata', params, options, decodeMetadata, 'GET');
  }

  /** Version and build of the server (`/api/v1/status/buildinfo`). */
  async buildInfo(options: CallOptions = {}): Promise<PromResponse<BuildInfo>> {
    return this.#api('/api/v1/status/buildinfo', new URLSearchParams(), options, decodeBuildInfo, 'GET');
  }

  /** Whether the server is up (`/-/healthy` answers 200). Network errors throw. */
  async healthy(options: CallOptions = {}): Promise<boolean> {
    return (await this.#call('/-/healthy', 'GET', undefined, options)).status === 200;
  }

  /** Whether the server is ready to serve queries (`/-/ready` answers 200, not 503). Network errors throw. */
  async ready(options: CallOptions = {}): Promise<boolean> {
    return (await this.#call('/-/ready', 'GET', undefined, options)).status === 200;
  }

  /** Closes the client's own connection pool (a dispatcher passed in is left open). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  #matchForm(options: MatchOptions): URLSearchParams {
    const form = new URLSearchParams();
    for (const m of options.match ?? []) form.append('match[]', m);
    if (options.start !== undefined) form.set('start', formatTime(options.start));
    if (options.end !== undefined) form.set('end', formatTime(options.end));
    if (options.limit !== undefined) form.set('limit', String(options.limit));
    return form;
  }

  async #api<T>(
    endpoint: string,
    params: URLSearchParams,
    options: CallOptions,
    decode: (data: unknown) => T,
    method: 'GET' | 'POST' = 'POST',
  ): Promise<PromResponse<T>> {
    const { status, body } = await this.#call(endpoint, method, params, options);
    let envelope: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null && 'status' in parsed) {
        envelope = parsed as Record<string, unknown>;
      }
    } catch {
      envelope = undefined;
    }
    if (envelope === undefined) {
      if (status >= 200 && status < 300) {
        throw new PrometheusResponseError(`${endpoint} answered ${status} without the API envelope`);
      }
      throw new PrometheusHttpError(status, endpoint, body);
    }
    const warnings = stringList(envelope.warnings);
    if (envelope.status !== 'success') {
      const errorType = typeof envelope.errorType === 'string' ? envelope.errorType : 'unknown';
      const error = typeof envelope.error === 'string' ? envelope.error : 'no message';
      const ErrorClass = API_ERRORS[errorType] ?? PrometheusApiError;
      throw new ErrorClass({ errorType, error, status, endpoint, warnings });
    }
    return { data: decode(envelope.data), warnings, infos: stringList(envelope.infos) };
  }

  async #call(
    endpoint: string,
    method: 'GET' | 'POST',
    params: URLSearchParams | undefined,
    options: CallOptions,
  ): Promise<{ status: number; body: string }> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    // One controller per call, wired by hand rather than AbortSignal.any(): a long-lived caller
    // signal passed to many calls must not collect a listener per call, and the timer must not
    // outlive the call.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timeout after ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const signal = controller.signal;
    const query = params && method === 'GET' && params.size > 0 ? `?${params}` : '';
    const headers: Record<string, string> = { accept: 'application/json', ...this.#headers };
    let body: string | undefined;
    if (method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = params?.toString() ?? '';
    }
    const failed = (error: unknown): never => {
      if (options.signal?.aborted)
        throw new PrometheusAbortedError(endpoint, { cause: options.signal.reason });
      if (timedOut) throw new PrometheusTimeoutError(endpoint, timeoutMs, { cause: error });
      throw new PrometheusNetworkError(endpoint, { cause: error });
    };
    try {
      const res = await this.#dispatcher.request({
        origin: this.#origin,
        path: `${this.#prefix}${endpoint}${query}`,
        method,
        headers,
        body,
        signal,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of res.body) {
          size += (chunk as Buffer).length;
          if (size > this.#maxResponseBytes) {
            res.body.destroy();
            throw new PrometheusResponseError(
              `${endpoint} answered more than ${this.#maxResponseBytes} bytes`,
            );
          }
          chunks.push(chunk as Buffer);
        }
      } catch (error) {
        if (error instanceof PrometheusResponseError) throw error;
        return failed(error);
      }
      return { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') };
    } catch (error) {
      if (error instanceof PrometheusResponseError) throw error;
      return failed(error);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** The labels of a series without its `__name__`. */
export function withoutName(labels: Labels): Labels {
  const { __name__: _name, ...rest } = labels;
  return rest;
}
