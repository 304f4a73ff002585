/**
 * The errors of the Proxmox VE client (codes in docs/errors.md, under "@leviathan/infra-sdk").
 */
import { InfraSdkError } from '../errors.js';

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

/** A snapshot name Proxmox would refuse: checked before any request is sent. */
export class PveSnapshotNameError extends InfraSdkError {
  readonly snapname: string;

  constructor(snapname: string, reason: string) {
    super('LEV_ERR_PVE_SNAPSHOT_NAME', `invalid snapshot name '${snapname}': ${reason}`);
    this.snapname = snapname;
  }
}

/** The VM already has a snapshot of that name. */
export class PveSnapshotExistsError extends InfraSdkError {
  readonly vmid: number;
  readonly snapname: string;

  constructor(vmid: number, snapname: string, options?: { cause?: unknown }) {
    super('LEV_ERR_PVE_SNAPSHOT_EXISTS', `VM ${vmid} already has a snapshot '${snapname}'`, options);
    this.vmid = vmid;
    this.snapname = snapname;
  }
}

/** The VM has no snapshot of that name. */
export class PveSnapshotMissingError extends InfraSdkError {
  readonly vmid: number;
  readonly snapname: string;

  constructor(vmid: number, snapname: string, options?: { cause?: unknown }) {
    super('LEV_ERR_PVE_SNAPSHOT_MISSING', `VM ${vmid} has no snapshot '${snapname}'`, options);
    this.vmid = vmid;
    this.snapname = snapname;
  }
}

/** The VM's config is locked (`snapshot`, `rollback`, `backup`, `clone`, ...) by another operation. */
export class PveVmLockedError extends InfraSdkError {
  readonly vmid: number;
  readonly lock: string;

  constructor(vmid: number, lock: string, options?: { cause?: unknown }) {
    super('LEV_ERR_PVE_VM_LOCKED', `VM ${vmid} is locked (${lock})`, options);
    this.vmid = vmid;
    this.lock = lock;
  }
}

/** One VM's step of `withSnapshots` that failed. */
export interface SnapshotGuardFailure {
  readonly vm: { readonly node: string; readonly vmid: number };
  readonly step: 'snapshot' | 'rollback' | 'delete';
  readonly error: Error;
}

/**
 * `withSnapshots` could not snapshot, roll back or clean up every VM. `failures` says which VM
 * failed at which step; the other VMs were still handled. `cause` is the error of the guarded
 * function, when it failed too.
 */
export class PveSnapshotGuardError extends InfraSdkError {
  readonly snapname: string;
  readonly failures: readonly SnapshotGuardFailure[];

  constructor(snapname: string, failures: readonly SnapshotGuardFailure[], options?: { cause?: unknown }) {
    const list = failures.map((f) => `${f.step} of VM ${f.vm.vmid}: ${f.error.message}`).join('; ');
    super('LEV_ERR_PVE_SNAPSHOT_GUARD', `snapshot '${snapname}': ${list}`, options);
    this.snapname = snapname;
    this.failures = failures;
  }
}
