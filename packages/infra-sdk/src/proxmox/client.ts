import type { Dispatcher } from 'undici';
import {
  type AuthProvider,
  type PveAuthOptions,
  TicketAuthProvider,
  type TicketGrant,
  TokenAuthProvider,
} from './auth.js';
import { encodeRequest } from './encode.js';
import {
  PveApiError,
  PveAuthError,
  PveConfigError,
  PveForbiddenError,
  PveInvalidParamsError,
  PveInvalidResponseError,
  PveNetworkError,
  PveNotFoundError,
  type PveParamErrors,
  PveTlsError,
} from './errors.js';
import { NodeLimiter } from './node-limiter.js';
import { backoffDelay, deadline, isTransient, networkCode, sleep } from './retry.js';
import { createAgent, type PvePoolOptions, type PveTlsOptions } from './tls.js';
import {
  DEFAULT_RETRY,
  type PveCallArgs,
  type PveCallOptions,
  type PveEndpoint,
  type PveMethod,
  type PveReturns,
  type RetryOptions,
} from './types.js';

export interface ProxmoxClientOptions {
  /** Where pveproxy listens, e.g. `https://pve1.example.com:8006`; `/api2/json` is added. */
  readonly baseUrl: string | URL;
  readonly auth: PveAuthOptions;
  /** Certificate checks: verified by default; custom CA, pinned fingerprint, or insecure. */
  readonly tls?: PveTlsOptions;
  readonly pool?: PvePoolOptions;
  /**
   * Time limit of one call, retries included, in milliseconds.
   * @default 30_000
   */
  readonly timeoutMs?: number;
  /** Retries of transient failures (5xx, lock timeouts, network). */
  readonly retry?: Partial<RetryOptions>;
  /**
   * Calls in flight per Proxmox node (keyed by the call's `node` parameter).
   * @default 4
   */
  readonly concurrencyPerNode?: number;
  /**
   * Largest answer read, in bytes; a larger one fails with LEV_ERR_PVE_INVALID_RESPONSE instead
   * of filling memory (the biggest real answers, cluster resources of large clusters, are a few MiB).
   * @default 67_108_864 (64 MiB)
   */
  readonly maxResponseBytes?: number;
  /** Use this dispatcher instead of the client's own undici Agent (then `tls`/`pool` are ignored). */
  readonly dispatcher?: Dispatcher;
  /** Clock in milliseconds, for ticket ages. @default Date.now */
  readonly now?: () => number;
  /** Random source in [0, 1) for backoff jitter. @default Math.random */
  readonly random?: () => number;
}

/** What a retry loop reports (for logging or tests) before it sleeps. */
export interface PveRetryEvent {
  readonly request: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: Error;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

/**
 * A typed Proxmox VE API client. `call()` takes any endpoint of the schema, keyed like
 * `'POST /nodes/{node}/qemu/{vmid}/clone'`, with its parameters and answer typed from the schema.
 */
export class ProxmoxClient {
  readonly #origin: string;
  readonly #basePath: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #auth: AuthProvider;
  readonly #timeoutMs: number;
  readonly #retry: RetryOptions;
  readonly #limiter: NodeLimiter;
  readonly #random: () => number;
  readonly #maxResponseBytes: number;
  /** Called before each retry sleep. */
  onRetry: ((event: PveRetryEvent) => void) | undefined = undefined;

  constructor(options: ProxmoxClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch (cause) {
      throw new PveConfigError(`baseUrl is not a URL: ${String(options.baseUrl)}`, { cause });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new PveConfigError(
        `baseUrl must be https:// (or http:// for a local simulator), got ${url.protocol}`,
      );
    }
    this.#origin = url.origin;
    this.#basePath = `${url.pathname.replace(/\/+$/, '')}/api2/json`;
    this.#ownsDispatcher = !options.dispatcher;
    this.#dispatcher = options.dispatcher ?? createAgent(options.tls, options.pool);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#limiter = new NodeLimiter(options.concurrencyPerNode ?? 4);
    this.#random = options.random ?? Math.random;
    this.#maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
    const now = options.now ?? Date.now;
    this.#auth =
      options.auth.type === 'token'
        ? new TokenAuthProvider(options.auth)
        : new TicketAuthProvider(options.auth, (form, signal) => this.#login(form, signal), now);
  }

  /** Calls one endpoint and resolves with its `data`. */
  async call<K extends PveEndpoint>(endpoint: K, ...args: PveCallArgs<K>): Promise<PveReturns<K>> {
    const [params, options] = args as [Record<string, unknown> | undefined, PveCallOptions | undefined];
    const space = endpoint.indexOf(' ');
    const method = endpoint.slice(0, space) as PveMethod;
    if (!METHODS.has(method)) throw new PveConfigError(`not an endpoint key: ${endpoint}`);
    const { path, form } = encodeRequest(endpoint.slice(space + 1), params);
    const node = typeof params?.node === 'string' ? params.node : undefined;
    return (await this.#execute(method, path, form, node, true, options)) as PveReturns<K>;
  }

  /** Calls in flight against one node (for observing the concurrency limit). */
  activeCalls(node: string): number {
    return this.#limiter.active(node);
  }

  /** Closes the connection pool (only the client's own). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #login(form: Record<string, string>, signal: AbortSignal): Promise<TicketGrant> {
    const body = new URLSearchParams(form).toString();
    const data = (await this.#execute('POST', '/access/ticket', body, undefined, false, { signal })) as {
      ticket?: string;
      CSRFPreventionToken?: string;
    };
    if (!data?.ticket || !data.CSRFPreventionToken) {
      throw new PveInvalidResponseError(
        'POST /access/ticket',
        'no ticket (is two-factor authentication required?)',
      );
    }
    return { ticket: data.ticket, CSRFPreventionToken: data.CSRFPreventionToken };
  }

  async #execute(
    method: PveMethod,
    path: string,
    form: string,
    node: string | undefined,
    authenticate: boolean,
    options: PveCallOptions | undefined,
  ): Promise<unknown> {
    const request = `${method} ${path}`;
    const timeoutMs = options?.timeoutMs ?? this.#timeoutMs;
    const retry =
      options?.retry === false ? { ...this.#retry, attempts: 1 } : { ...this.#retry, ...options?.retry };
    const idempotent = options?.idempotent ?? method !== 'POST';
    const limit = deadline(request, timeoutMs, options?.signal);
    let reauthenticated = false;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const release = node ? await this.#limiter.acquire(node, limit.signal) : undefined;
          try {
            return await this.#attempt(method, path, form, authenticate, limit.signal, request);
          } finally {
            release?.();
          }
        } catch (err) {
          if (limit.signal.aborted) throw limit.error();
          if (err instanceof PveAuthError && authenticate && !reauthenticated && this.#auth.invalidate()) {
            reauthenticated = true; // the ticket expired under us: log in again, once
            attempt--;
            continue;
          }
          if (attempt >= retry.attempts || !isTransient(err, idempotent)) throw err;
          const delayMs = backoffDelay(attempt, retry, this.#random);
          this.onRetry?.({ request, attempt, delayMs, error: err as Error });
          await sleep(delayMs, limit.signal).catch(() => {
            throw limit.error();
          });
        }
      }
    } finally {
      limit.dispose();
    }
  }

  async #attempt(
    method: PveMethod,
    path: string,
    form: string,
    authenticate: boolean,
    signal: AbortSignal,
    request: string,
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (authenticate) Object.assign(headers, await this.#auth.headers(method, signal));
    const hasBody = method === 'POST' || method === 'PUT';
    let url = this.#basePath + path;
    if (hasBody) headers['content-type'] = 'application/x-www-form-urlencoded';
    else if (form) url += `?${form}`;
    let res: Dispatcher.ResponseData;
    try {
      res = await this.#dispatcher.request({
        origin: this.#origin,
        path: url,
        method,
        headers,
        body: hasBody ? form : undefined,
        signal,
      });
    } catch (err) {
      if (signal.aborted) throw err;
      if (err instanceof PveTlsError) throw err;
      const code = networkCode(err) ?? '';
      if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME/.test(code)) {
        throw new PveTlsError(`TLS verification of ${this.#origin} failed: ${code}`, { cause: err });
      }
      throw new PveNetworkError(request, { cause: err });
    }
    let text: string;
    try {
      text = await readCapped(res.body, this.#maxResponseBytes);
    } catch (err) {
      if (signal.aborted) throw err;
      if (err instanceof TooLarge) {
        throw new PveInvalidResponseError(
          request,
          `more than maxResponseBytes (${this.#maxResponseBytes} bytes)`,
        );
      }
      throw new PveNetworkError(request, { cause: err });
    }
    let json: { data?: unknown; errors?: unknown; message?: unknown } | undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.statusCode >= 200 && res.statusCode < 300) {
      if (!json || typeof json !== 'object' || !('data' in json)) {
        throw new PveInvalidResponseError(request, `${res.statusCode} without a {"data": ...} envelope`);
      }
      return json.data;
    }
    throw toApiError(res.statusCode, res.statusText, json, request);
  }
}

class TooLarge extends Error {}

/** Reads a body as UTF-8 text, giving up (and discarding the rest) past `max` bytes. */
async function readCapped(body: Dispatcher.ResponseData['body'], max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      body.destroy();
      throw new TooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function toApiError(
  status: number,
  statusText: string | undefined,
  json: { errors?: unknown; message?: unknown } | undefined,
  request: string,
): PveApiError {
  const bodyMessage = typeof json?.message === 'string' ? json.message.trim() : '';
  const pveMessage = (statusText?.trim() || bodyMessage || `HTTP ${status}`).replace(/\s+$/, '');
  const paramErrors: Record<string, string> = {};
  if (json?.errors && typeof json.errors === 'object') {
    for (const [k, v] of Object.entries(json.errors as Record<string, unknown>)) {
      paramErrors[k] = String(v).trim();
    }
  }
  const init = { status, pveMessage, paramErrors: paramErrors as PveParamErrors, request };
  if (status === 400) return new PveInvalidParamsError(init);
  if (status === 401) return new PveAuthError(init);
  if (status === 403) return new PveForbiddenError(init);
  if (status === 404 || status === 501) return new PveNotFoundError(init);
  return new PveApiError(init);
}
