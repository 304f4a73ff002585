import type { PveApi } from './api.generated.js';

/** Every endpoint key, like `'POST /nodes/{node}/qemu/{vmid}/clone'`. */
export type PveEndpoint = keyof PveApi;
/** Parameters of an endpoint: path placeholders, query and body together, as in the schema. */
export type PveParams<K extends PveEndpoint> = PveApi[K]['params'];
/** What an endpoint answers in `data`. */
export type PveReturns<K extends PveEndpoint> = PveApi[K]['returns'];
export type PveMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Endpoint keys whose parameters are all optional: their `params` argument may be left out. */
type AllOptional<T> = object extends T ? true : false;

/** The rest-arguments of `call()` for an endpoint: `params` is optional only when nothing is required. */
export type PveCallArgs<K extends PveEndpoint> =
  AllOptional<PveParams<K>> extends true
    ? [params?: PveParams<K>, options?: PveCallOptions]
    : [params: PveParams<K>, options?: PveCallOptions];

/** Per-call options. */
export interface PveCallOptions {
  /** Aborts the call (and its retries). */
  readonly signal?: AbortSignal;
  /**
   * Time limit for the whole call, retries and backoff included, in milliseconds.
   * @default the client's `timeoutMs`
   */
  readonly timeoutMs?: number;
  /** Retry settings for this call, or `false` for a single attempt. */
  readonly retry?: Partial<RetryOptions> | false;
  /**
   * Whether repeating this call is harmless. POSTs are retried after a dropped connection only
   * when this is set (the request may have run); 5xx and connect failures are always retried.
   * @default true for GET, PUT and DELETE; false for POST
   */
  readonly idempotent?: boolean;
}

/** Exponential backoff with full jitter for transient failures. */
export interface RetryOptions {
  /**
   * Attempts in all, the first included.
   * @default 4
   */
  readonly attempts: number;
  /**
   * Delay cap of the first retry, in milliseconds; doubles per retry ("full jitter": the actual
   * delay is uniform in [0, cap], after AWS's backoff study, so that many clients do not retry in step).
   * @default 200
   */
  readonly baseDelayMs: number;
  /**
   * Largest delay cap, in milliseconds.
   * @default 5000
   */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };
