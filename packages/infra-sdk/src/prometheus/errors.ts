/**
 * The errors of the Prometheus client (codes in docs/errors.md, under "@leviathan/infra-sdk").
 */
import { InfraSdkError } from '../errors.js';

/**
 * Base of the errors Prometheus's HTTP API reports in its envelope
 * (`{"status":"error","errorType":...,"error":...}`): one subclass per `errorType`.
 */
export class PrometheusApiError extends InfraSdkError {
  /** Prometheus's `errorType`, e.g. `bad_data`. */
  readonly errorType: string;
  /** HTTP status of the answer. */
  readonly status: number;
  /** The API path asked, e.g. `/api/v1/query`. */
  readonly endpoint: string;
  readonly warnings: readonly string[];

  constructor(
    init: {
      errorType: string;
      error: string;
      status: number;
      endpoint: string;
      warnings?: readonly string[];
    },
    code = 'LEV_ERR_PROM_API_ERROR',
  ) {
    super(code, `${init.endpoint}: ${init.errorType}: ${init.error}`);
    this.errorType = init.errorType;
    this.status = init.status;
    this.endpoint = init.endpoint;
    this.warnings = init.warnings ?? [];
  }
}

type PrometheusApiErrorInit = ConstructorParameters<typeof PrometheusApiError>[0];

/** `bad_data` (400): the query or a parameter is invalid. */
export class PrometheusBadDataError extends PrometheusApiError {
  constructor(init: PrometheusApiErrorInit) {
    super(init, 'LEV_ERR_PROM_BAD_DATA');
  }
}

/** `execution` (422): the query is valid but cannot be evaluated (many-to-many matching, ...). */
export class PrometheusExecutionError extends PrometheusApiError {
  constructor(init: PrometheusApiErrorInit) {
    super(init, 'LEV_ERR_PROM_EXECUTION');
  }
}

/** `timeout` (503): the evaluation exceeded Prometheus's query timeout. */
export class PrometheusQueryTimeoutError extends PrometheusApiError {
  constructor(init: PrometheusApiErrorInit) {
    super(init, 'LEV_ERR_PROM_QUERY_TIMEOUT');
  }
}

/** `canceled` (503): Prometheus canceled the query. */
export class PrometheusCanceledError extends PrometheusApiError {
  constructor(init: PrometheusApiErrorInit) {
    super(init, 'LEV_ERR_PROM_CANCELED');
  }
}

/** `internal` (500). */
export class PrometheusInternalError extends PrometheusApiError {
  constructor(init: PrometheusApiErrorInit) {
    super(init, 'LEV_ERR_PROM_INTERNAL');
  }
}

/** `unavailable` (503): the server cannot answer now (still starting, storage not ready). */
export class PrometheusUnavailableError extends PrometheusApiError {
  constructor(init: PrometheusApiErrorInit) {
    super(init, 'LEV_ERR_PROM_UNAVAILABLE');
  }
}

/** `not_found` (404). */
export class PrometheusNotFoundError extends PrometheusApiError {
  constructor(init: PrometheusApiErrorInit) {
    super(init, 'LEV_ERR_PROM_NOT_FOUND');
  }
}

/** `not_acceptable` (406). */
export class PrometheusNotAcceptableError extends PrometheusApiError {
  constructor(init: PrometheusApiErrorInit) {
    super(init, 'LEV_ERR_PROM_NOT_ACCEPTABLE');
  }
}

/** An HTTP error without Prometheus's envelope: a proxy's 502, an HTML login page, a wrong URL. */
export class PrometheusHttpError extends InfraSdkError {
  readonly status: number;
  readonly endpoint: string;
  /** The first 1 KiB of the body. */
  readonly body: string;

  constructor(status: number, endpoint: string, body: string) {
    super('LEV_ERR_PROM_HTTP', `${endpoint} answered HTTP ${status}: ${body.slice(0, 200)}`);
    this.status = status;
    this.endpoint = endpoint;
    this.body = body.slice(0, 1024);
  }
}

/** The request got no answer: connection refused or reset, DNS failure. */
export class PrometheusNetworkError extends InfraSdkError {
  constructor(endpoint: string, options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super('LEV_ERR_PROM_NETWORK', `${endpoint} got no answer${reason}`, options);
  }
}

/** The call took longer than the client's `timeoutMs`. */
export class PrometheusTimeoutError extends InfraSdkError {
  constructor(endpoint: string, timeoutMs: number, options?: { cause?: unknown }) {
    super('LEV_ERR_PROM_TIMEOUT', `${endpoint} took longer than ${timeoutMs} ms`, options);
  }
}

/** The caller's AbortSignal fired; `cause` is its reason. */
export class PrometheusAbortedError extends InfraSdkError {
  constructor(endpoint: string, options?: { cause?: unknown }) {
    super('LEV_ERR_PROM_ABORTED', `${endpoint} was aborted`, options);
  }
}

/** A success answer whose data is not of the documented shape. */
export class PrometheusResponseError extends InfraSdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_PROM_INVALID_RESPONSE', message, options);
  }
}

/** A selector cannot be built: an invalid metric or label name, or no matcher at all. */
export class PromQlSelectorError extends InfraSdkError {
  constructor(message: string) {
    super('LEV_ERR_PROM_INVALID_SELECTOR', message);
  }
}

/** A file_sd target group or scrape configuration is invalid (a target without a port, a bad label name). */
export class PrometheusConfigError extends InfraSdkError {
  constructor(message: string) {
    super('LEV_ERR_PROM_INVALID_CONFIG', message);
  }
}
