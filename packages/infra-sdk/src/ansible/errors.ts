/**
 * The errors of the Ansible runner and inventories (codes in docs/errors.md, under "@leviathan/infra-sdk").
 */
import { InfraSdkError } from '../errors.js';
import type { AnsibleRunResult } from './result.js';

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
  readonly result: AnsibleRunResult | undefined;

  constructor(
    code: string,
    message: string,
    init: {
      exitCode: number | null;
      signal?: string | null;
      stderr: string;
      result?: AnsibleRunResult;
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
