/**
 * Every failure @leviathan/infra-sdk reports. One class per failure, each with a stable `code`
 * (documented in docs/errors.md under "@leviathan/infra-sdk"; a test checks it) and `cause`
 * chaining, in the style of undici's `lib/core/errors.js`.
 */

/** Base class of every error thrown by @leviathan/infra-sdk. */
export class InfraSdkError extends Error {
  /** Stable machine-readable code, e.g. `LEV_ERR_PVE_API`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

// ─── Proxmox VE ────────────────────────────────────────────────────────────────────────────────

/** Per-parameter errors as Proxmox reports them in a 400 answer's `errors` object. */
export type PveParamErrors = Readonly<Record<string, string>>;

/** Base of the errors carrying an HTTP answer from Proxmox VE. */
export class PveApiError extends InfraSdkError {
  /** HTTP status code of the answer. */
  readonly status: number;
  /** Proxmox's own message (the HTTP reason phrase or the body's `message`). */
  readonly pveMessage: string;
  /** Per-parameter errors (`errors` in the body), empty when there are none. */
  readonly paramErrors: PveParamErrors;
  /** `METHOD /path` of the failed request, e.g. `POST /nodes/pve1/qemu/9000/clone`. */
  readonly request: string;

  constructor(
    init: { status: number; pveMessage: string; paramErrors?: PveParamErrors; request: string },
    code = 'LEV_ERR_PVE_API',
    options?: { cause?: unknown },
  ) {
    const params = Object.entries(init.paramErrors ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
    super(
      code,
      `${init.request} failed with ${init.status} ${init.pveMessage}${params ? ` (${params})` : ''}`,
      options,
    );
    this.status = init.status;
    this.pveMessage = init.pveMessage;
    this.paramErrors = init.paramErrors ?? {};
    this.request = init.request;
  }
}

/** Proxmox rejected the parameters (400 "Parameter verification failed."): see `paramErrors`. */
export class PveInvalidParamsError extends PveApiError {
  constructor(init: ConstructorParameters<typeof PveApiError>[0]) {
    super(init, 'LEV_ERR_PVE_INVALID_PARAMS');
  }
}

/** Authentication failed (401): a bad token, password, expired ticket or missing CSRF token. */
export class PveAuthError extends PveApiError {
  constructor(init: ConstructorParameters<typeof PveApiError>[0]) {
    super(init, 'LEV_ERR_PVE_AUTH_FAILED');
  }
}

/** The user or token lacks a privilege for the call (403). */
export class PveForbiddenError extends PveApiError {
  constructor(init: ConstructorParameters<typeof PveApiError>[0]) {
    super(init, 'LEV_ERR_PVE_FORBIDDEN');
  }
}

/** No such API path or method (404/501). */
export class PveNotFoundError extends PveApiError {
  constructor(init: ConstructorParameters<typeof PveApiError>[0]) {
    super(init, 'LEV_ERR_PVE_NOT_FOUND');
  }
}

/** The request did not get an HTTP answer: connection refused, reset, DNS, ... (retried). */
export class PveNetworkError extends InfraSdkError {
  constructor(request: string, options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super('LEV_ERR_PVE_NETWORK', `${request} got no answer${reason}`, options);
  }
}

/** The server's TLS certificate failed verification or did not match the pinned fingerprint. */
export class PveTlsError extends InfraSdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_PVE_TLS', message, options);
  }
}

/** A call (or a wait) took longer than its `timeoutMs`. */
export class PveTimeoutError extends InfraSdkError {
  constructor(what: string, timeoutMs: number, options?: { cause?: unknown }) {
    super('LEV_ERR_PVE_TIMEOUT', `${what} timed out after ${timeoutMs} ms`, options);
  }
}

/** The caller's AbortSignal fired. */
export class PveAbortedError extends InfraSdkError {
  constructor(what: string, options?: { cause?: unknown }) {
    super('LEV_ERR_PVE_ABORTED', `${what} was aborted`, options);
  }
}

/** The answer was not Proxmox's `{"data": ...}` JSON envelope. */
export class PveInvalidResponseError extends InfraSdkError {
  constructor(request: string, detail: string, options?: { cause?: unknown }) {
    super('LEV_ERR_PVE_INVALID_RESPONSE', `${request} answered with ${detail}`, options);
  }
}

/** The client was configured or called wrongly (missing path parameter, bad URL, two auth modes). */
export class PveConfigError extends InfraSdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_PVE_INVALID_OPTIONS', message, options);
  }
}

/** A task ended with an error exit status; `log` holds the task log fetched after the failure. */
export class PveTaskFailedError extends InfraSdkError {
  readonly upid: string;
  readonly exitStatus: string;
  readonly log: readonly string[];

  constructor(upid: string, exitStatus: string, log: readonly string[], options?: { cause?: unknown }) {
    const tail = log.slice(-5).join('\n');
    super('LEV_ERR_PVE_TASK_FAILED', `task ${upid} failed: ${exitStatus}${tail ? `\n${tail}` : ''}`, options);
    this.upid = upid;
    this.exitStatus = exitStatus;
    this.log = log;
  }
}

/** A VM's config lock (`lock: clone`, `backup`, ...) did not clear within the wait. */
export class PveLockTimeoutError extends InfraSdkError {
  readonly vmid: number;
  readonly lock: string;

  constructor(vmid: number, lock: string, timeoutMs: number) {
    super('LEV_ERR_PVE_LOCK_TIMEOUT', `VM ${vmid} stayed locked (${lock}) for ${timeoutMs} ms`);
    this.vmid = vmid;
    this.lock = lock;
  }
}

/** No free VMID could be claimed: every candidate collided with a concurrent creator. */
export class PveVmidExhaustedError extends InfraSdkError {
  constructor(attempts: number, options?: { cause?: unknown }) {
    super('LEV_ERR_PVE_NO_FREE_VMID', `no free VMID after ${attempts} attempts`, options);
  }
}

/** A clone's target VMID holds a VM this client did not create (no matching clone token). */
export class PveVmidConflictError extends InfraSdkError {
  readonly vmid: number;

  constructor(vmid: number, options?: { cause?: unknown }) {
    super(
      'LEV_ERR_PVE_VMID_CONFLICT',
      `VM ${vmid} already exists and was not created by this clone`,
      options,
    );
    this.vmid = vmid;
  }
}

// ─── Ansible ───────────────────────────────────────────────────────────────────────────────────

/**
 * Base of the errors of a finished `ansible-playbook` or `ansible` run: the exit code, the
 * signal that ended it (if any), the tail of its stderr and, where the JSON callback printed
 * one, the parsed result (so a caller still sees which hosts succeeded).
 */
export class AnsibleProcessError extends InfraSdkError {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The last 64 KiB of the child's stderr. */
  readonly stderr: string;
  readonly result: import('./ansible/result.js').AnsibleRunResult | undefined;

  constructor(
    code: string,
    message: string,
    init: {
      exitCode: number | null;
      signal?: string | null;
      stderr: string;
      result?: import('./ansible/result.js').AnsibleRunResult;
    },
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.exitCode = init.exitCode;
    this.signal = init.signal ?? null;
    this.stderr = init.stderr;
    this.result = init.result;
  }
}

/** A task failed on at least one host (exit code 2); `result.failedHosts` names them. */
export class AnsibleHostsFailedError extends AnsibleProcessError {
  constructor(init: ConstructorParameters<typeof AnsibleProcessError>[2] & { hosts: readonly string[] }) {
    super('LEV_ERR_ANSIBLE_HOSTS_FAILED', `tasks failed on ${init.hosts.join(', ')}`, init);
  }
}

/** At least one host could not be reached (exit code 4, documented as 3); `result.unreachableHosts`. */
export class AnsibleHostsUnreachableError extends AnsibleProcessError {
  constructor(init: ConstructorParameters<typeof AnsibleProcessError>[2] & { hosts: readonly string[] }) {
    super('LEV_ERR_ANSIBLE_HOSTS_UNREACHABLE', `unreachable: ${init.hosts.join(', ')}`, init);
  }
}

/** A playbook, inventory or variable file could not be parsed (exit code 4 without a result). */
export class AnsibleParseError extends AnsibleProcessError {
  constructor(init: ConstructorParameters<typeof AnsibleProcessError>[2], detail: string) {
    super('LEV_ERR_ANSIBLE_PARSE_ERROR', `Ansible could not parse its input: ${detail}`, init);
  }
}

/** Bad or incomplete command-line options (exit code 5, or argparse's 2 without a result). */
export class AnsibleUsageError extends AnsibleProcessError {
  constructor(init: ConstructorParameters<typeof AnsibleProcessError>[2], detail: string) {
    super('LEV_ERR_ANSIBLE_USAGE_ERROR', `Ansible rejected its options: ${detail}`, init);
  }
}

/** Any other failure of the run (exit code 1, 250, ...): a missing file, a vault error, a bug. */
export class AnsibleRunFailedError extends AnsibleProcessError {
  constructor(init: ConstructorParameters<typeof AnsibleProcessError>[2], detail: string) {
    super('LEV_ERR_ANSIBLE_RUN_FAILED', `Ansible failed (exit ${init.exitCode}): ${detail}`, init);
  }
}

/** The run was interrupted (exit code 99) or killed by a signal nobody here sent. */
export class AnsibleInterruptedError extends AnsibleProcessError {
  constructor(init: ConstructorParameters<typeof AnsibleProcessError>[2]) {
    const how = init.signal ? `by ${init.signal}` : `(exit ${init.exitCode})`;
    super('LEV_ERR_ANSIBLE_INTERRUPTED', `Ansible was interrupted ${how}`, init);
  }
}

/** The run exceeded `timeoutMs`; its process group was killed. */
export class AnsibleTimeoutError extends AnsibleProcessError {
  constructor(init: ConstructorParameters<typeof AnsibleProcessError>[2], timeoutMs: number) {
    super('LEV_ERR_ANSIBLE_TIMEOUT', `Ansible ran longer than ${timeoutMs} ms and was killed`, init);
  }
}

/** The caller's AbortSignal fired; the process group was killed. `cause` is the signal's reason. */
export class AnsibleAbortedError extends AnsibleProcessError {
  constructor(init: ConstructorParameters<typeof AnsibleProcessError>[2], options?: { cause?: unknown }) {
    super('LEV_ERR_ANSIBLE_ABORTED', 'the Ansible run was aborted', init, options);
  }
}

/** `ansible-playbook` or `ansible` is not installed (or not on the PATH given to the child). */
export class AnsibleNotFoundError extends InfraSdkError {
  constructor(command: string, options?: { cause?: unknown }) {
    super(
      'LEV_ERR_ANSIBLE_NOT_FOUND',
      `${command} was not found: install Ansible (Debian: ansible)`,
      options,
    );
  }
}

/** An option cannot be passed to Ansible safely (a tag with a comma, extra vars that are not JSON). */
export class AnsibleInvalidOptionError extends InfraSdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_ANSIBLE_INVALID_OPTION', message, options);
  }
}

/** The JSON callback printed a document of an unexpected shape. */
export class AnsibleOutputError extends InfraSdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_ANSIBLE_OUTPUT_INVALID', message, options);
  }
}

/** An inventory could not be read; `file` and `line` (1-based) say where, when known. */
export class InventoryParseError extends InfraSdkError {
  readonly line: number | undefined;
  readonly file: string | undefined;
  /** The message without the location. */
  readonly detail: string;

  constructor(detail: string, line?: number, options?: { cause?: unknown; file?: string }) {
    const where = [options?.file, line === undefined ? undefined : `line ${line}`].filter(
      (w) => w !== undefined,
    );
    super(
      'LEV_ERR_ANSIBLE_INVENTORY_PARSE',
      where.length > 0 ? `${where.join(', ')}: ${detail}` : detail,
      options,
    );
    this.line = line;
    this.file = options?.file;
    this.detail = detail;
  }
}

/** An inventory cannot be written as asked (an invalid host or group name, an unknown format). */
export class InventoryInvalidError extends InfraSdkError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_ANSIBLE_INVENTORY_INVALID', message, options);
  }
}

// ─── Prometheus ────────────────────────────────────────────────────────────────────────────────

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
