import { performance } from 'node:perf_hooks';
import { type Agent, request } from 'undici';
import type { Counter, Rate, Registry, Trend } from '../metrics/registry.js';
import type { Pacer } from './pacer.js';

type Tags = Readonly<Record<string, string>>;

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** @default 10000 (ms) */
  timeoutMs?: number;
  tags?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body parsed as JSON (throws SyntaxError when it is not). */
  json<T = unknown>(): T;
}

/** The HTTP client's metrics, once per worker. */
export class HttpMetrics {
  readonly duration: Trend;
  readonly reqs: Counter;
  readonly failed: Rate;
  constructor(registry: Registry) {
    this.duration = registry.trend('http_req_duration');
    this.reqs = registry.counter('http_reqs');
    this.failed = registry.rate('http_req_failed');
  }
}

/**
 * HTTP on undici (one keep-alive Agent per worker). Records `http_req_duration` from the intended
 * time to the end of the body, `http_reqs`, and `http_req_failed` (network error or status ≥ 400).
 */
export class HttpClient {
  readonly #agent: Agent;
  readonly #metrics: HttpMetrics;
  readonly #pacer: Pacer;
  /** The VU: its tags are read per sample (they change inside a group). */
  readonly #owner: { readonly tags: Tags };

  constructor(agent: Agent, metrics: HttpMetrics, pacer: Pacer, owner: { readonly tags: Tags }) {
    this.#agent = agent;
    this.#metrics = metrics;
    this.#pacer = pacer;
    this.#owner = owner;
  }

  get(url: string, options: Omit<HttpRequestOptions, 'method' | 'body'> = {}): Promise<HttpResponse> {
    return this.request(url, { ...options, method: 'GET' });
  }

  post(
    url: string,
    body: string | Uint8Array,
    options: Omit<HttpRequestOptions, 'method' | 'body'> = {},
  ): Promise<HttpResponse> {
    return this.request(url, { ...options, method: 'POST', body });
  }

  async request(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    const startMs = this.#pacer.take(performance.now());
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.#metrics.reqs.add(1, options.tags, this.#owner.tags);
    try {
      const res = await request(url, {
        dispatcher: this.#agent,
        method: (options.method ?? 'GET') as 'GET',
        ...(options.headers === undefined ? {} : { headers: options.headers }),
        ...(options.body === undefined ? {} : { body: options.body }),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const body = await res.body.text();
      this.#metrics.duration.addScaled(
        Math.round((performance.now() - startMs) * 1000),
        this.#owner.tags,
        options.tags,
      );
      this.#metrics.failed.add(res.statusCode >= 400, options.tags, this.#owner.tags);
      return {
        status: res.statusCode,
        headers: res.headers,
        body,
        json: <T>() => JSON.parse(body) as T,
      };
    } catch (e) {
      this.#metrics.failed.add(true, options.tags, this.#owner.tags);
      throw e;
    }
  }
}
