/**
 * Every error @leviathan/loadgen throws. Codes are stable and documented in docs/errors.md (a test
 * reads this file and checks each code is there).
 */
export const LoadgenErrorCode = {
  InvalidOptions: 'LEV_ERR_LOADGEN_INVALID_OPTIONS',
  InvalidDuration: 'LEV_ERR_LOADGEN_INVALID_DURATION',
  InvalidThreshold: 'LEV_ERR_LOADGEN_INVALID_THRESHOLD',
  ScenarioLoad: 'LEV_ERR_LOADGEN_SCENARIO_LOAD',
  Usage: 'LEV_ERR_LOADGEN_USAGE',
  OpenFilesLimit: 'LEV_ERR_LOADGEN_OPEN_FILES_LIMIT',
  WorkerCrashed: 'LEV_ERR_LOADGEN_WORKER_CRASHED',
  ConnectFailed: 'LEV_ERR_LOADGEN_CONNECT_FAILED',
  ConnectionClosed: 'LEV_ERR_LOADGEN_CONNECTION_CLOSED',
  Timeout: 'LEV_ERR_LOADGEN_TIMEOUT',
  InvalidServerMessage: 'LEV_ERR_LOADGEN_INVALID_SERVER_MESSAGE',
  InvalidSummary: 'LEV_ERR_LOADGEN_INVALID_SUMMARY',
  MetricTypeConflict: 'LEV_ERR_LOADGEN_METRIC_TYPE_CONFLICT',
  SetupFailed: 'LEV_ERR_LOADGEN_SETUP_FAILED',
  LifecycleTimeout: 'LEV_ERR_LOADGEN_LIFECYCLE_TIMEOUT',
  TeardownFailed: 'LEV_ERR_LOADGEN_TEARDOWN_FAILED',
  DashboardListen: 'LEV_ERR_LOADGEN_DASHBOARD_LISTEN',
} as const;
export type LoadgenErrorCode = (typeof LoadgenErrorCode)[keyof typeof LoadgenErrorCode];

/** Base of every loadgen error: a stable `code` and an optional `cause`. */
export class LoadgenError extends Error {
  override readonly name: string = 'LoadgenError';
  readonly code: LoadgenErrorCode;
  constructor(code: LoadgenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** The scenario's `options` are malformed (unknown executor, missing field, negative count...). */
export class InvalidOptionsError extends LoadgenError {
  override readonly name = 'InvalidOptionsError';
  /** Where in `options` the fault is, such as `scenarios.login.stages[1].target`. */
  readonly path: string;
  constructor(path: string, message: string) {
    super(LoadgenErrorCode.InvalidOptions, `options.${path}: ${message}`);
    this.path = path;
  }
}

/** A duration string such as `2m30s` could not be parsed. */
export class InvalidDurationError extends LoadgenError {
  override readonly name = 'InvalidDurationError';
  constructor(value: unknown) {
    super(
      LoadgenErrorCode.InvalidDuration,
      `invalid duration ${JSON.stringify(value)}: use a number of milliseconds or a string like "500ms", "30s", "2m", "1h30m"`,
    );
  }
}

/** A threshold expression is not k6 syntax (`p(95)<200`, `rate<0.01`, `count>10`...). */
export class InvalidThresholdError extends LoadgenError {
  override readonly name = 'InvalidThresholdError';
  constructor(metric: string, expression: string, reason: string) {
    super(LoadgenErrorCode.InvalidThreshold, `threshold "${expression}" on "${metric}": ${reason}`);
  }
}

/** The scenario file could not be found, compiled or imported, or has no default function. */
export class ScenarioLoadError extends LoadgenError {
  override readonly name = 'ScenarioLoadError';
  constructor(file: string, reason: string, cause?: unknown) {
    super(LoadgenErrorCode.ScenarioLoad, `cannot load scenario ${file}: ${reason}`, { cause });
  }
}

/** The command line is wrong. */
export class UsageError extends LoadgenError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(LoadgenErrorCode.Usage, message);
  }
}

/** The test would open more sockets than the process may hold open files. */
export class OpenFilesLimitError extends LoadgenError {
  override readonly name = 'OpenFilesLimitError';
  readonly needed: number;
  readonly soft: number;
  readonly hard: number;
  constructor(needed: number, soft: number, hard: number) {
    const raise =
      needed <= hard
        ? `raise the soft limit first: \`ulimit -n ${hard}\` in the shell that starts leviathan-load`
        : `the hard limit is ${hard}: raise it (nofile in /etc/security/limits.conf, LimitNOFILE= in a systemd unit, or \`ulimit -Hn\` as root), or split the test over several processes with --segment i/n`;
    super(
      LoadgenErrorCode.OpenFilesLimit,
      `this test may open ${needed} sockets but the open-files limit is ${soft} (hard ${hard}): ${raise}; --ignore-fd-limit runs anyway`,
    );
    this.needed = needed;
    this.soft = soft;
    this.hard = hard;
  }
}

/** A generator worker thread died; its share of the load stopped. */
export class WorkerCrashedError extends LoadgenError {
  override readonly name = 'WorkerCrashedError';
  constructor(worker: number, cause?: unknown) {
    super(LoadgenErrorCode.WorkerCrashed, `load generator worker ${worker} crashed`, { cause });
  }
}

/** A WebSocket connection could not be opened. */
export class ConnectFailedError extends LoadgenError {
  override readonly name = 'ConnectFailedError';
  constructor(url: string, cause?: unknown) {
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    super(LoadgenErrorCode.ConnectFailed, `cannot connect to ${url}${reason}`, { cause });
  }
}

/** The connection closed while a request or a wait was pending. */
export class ConnectionClosedError extends LoadgenError {
  override readonly name = 'ConnectionClosedError';
  readonly closeCode: number;
  constructor(closeCode: number, reason: string) {
    super(LoadgenErrorCode.ConnectionClosed, `connection closed (${closeCode}${reason ? ` ${reason}` : ''})`);
    this.closeCode = closeCode;
  }
}

/** No answer (or no message of the awaited type) came within the timeout. */
export class TimeoutError extends LoadgenError {
  override readonly name = 'TimeoutError';
  constructor(what: string, timeoutMs: number) {
    super(LoadgenErrorCode.Timeout, `${what}: no answer within ${timeoutMs} ms`);
  }
}

/** The server sent a frame that is not JSON lines of objects with a string `type`. */
export class InvalidServerMessageError extends LoadgenError {
  override readonly name = 'InvalidServerMessageError';
  constructor(cause: unknown) {
    super(LoadgenErrorCode.InvalidServerMessage, 'the server sent a frame that is not a protocol message', {
      cause,
    });
  }
}

/** A summary file given to `merge` or `--baseline` is not a loadgen summary. */
export class InvalidSummaryError extends LoadgenError {
  override readonly name = 'InvalidSummaryError';
  constructor(file: string, reason: string, cause?: unknown) {
    super(LoadgenErrorCode.InvalidSummary, `${file} is not a loadgen summary: ${reason}`, { cause });
  }
}

/** One metric name was used with two types (say, a trend and a counter). */
export class MetricTypeConflictError extends LoadgenError {
  override readonly name = 'MetricTypeConflictError';
  constructor(name: string, existing: string, wanted: string) {
    super(LoadgenErrorCode.MetricTypeConflict, `metric "${name}" is a ${existing}, not a ${wanted}`);
  }
}

/** The scenario's `setup()` threw (or returned data that is not JSON): the test does not start. */
export class SetupFailedError extends LoadgenError {
  override readonly name = 'SetupFailedError';
  constructor(reason: string, cause?: unknown) {
    super(LoadgenErrorCode.SetupFailed, `setup() failed: ${reason}`, { cause });
  }
}

/** `setup()` or `teardown()` ran past `setupTimeout` / `teardownTimeout`. */
export class LifecycleTimeoutError extends LoadgenError {
  override readonly name = 'LifecycleTimeoutError';
  readonly phase: 'setup' | 'teardown';
  constructor(phase: 'setup' | 'teardown', timeoutMs: number) {
    super(
      LoadgenErrorCode.LifecycleTimeout,
      `${phase}() did not finish within ${timeoutMs} ms (raise options.${phase}Timeout)`,
    );
    this.phase = phase;
  }
}

/** The scenario's `teardown()` threw; the test's results stand, the run exits 107. */
export class TeardownFailedError extends LoadgenError {
  override readonly name = 'TeardownFailedError';
  constructor(reason: string, cause?: unknown) {
    super(LoadgenErrorCode.TeardownFailed, `teardown() failed: ${reason}`, { cause });
  }
}

/** The web dashboard could not listen on its address (the port in use, a host not of this machine). */
export class DashboardListenError extends LoadgenError {
  override readonly name = 'DashboardListenError';
  constructor(address: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const why =
      code === 'EADDRINUSE'
        ? 'the port is in use'
        : code === 'EADDRNOTAVAIL'
          ? 'no interface of this machine has that address'
          : code === 'EACCES'
            ? 'not allowed (a port below 1024 needs privileges)'
            : cause instanceof Error
              ? cause.message
              : String(cause);
    super(
      LoadgenErrorCode.DashboardListen,
      `the web dashboard cannot listen on ${address}: ${why}; choose another with --out web-dashboard=HOST:PORT (port 0: any free port)`,
      { cause },
    );
  }
}
