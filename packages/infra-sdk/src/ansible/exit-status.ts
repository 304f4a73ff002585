import {
  AnsibleAbortedError,
  AnsibleHostsFailedError,
  AnsibleHostsUnreachableError,
  AnsibleInterruptedError,
  AnsibleOutputError,
  AnsibleParseError,
  AnsibleRunFailedError,
  AnsibleTimeoutError,
  AnsibleUsageError,
} from './errors.js';
import { type AnsibleRunResult, type IgnoredFailures, parseJsonCallbackOutput } from './result.js';

/**
 * Exit codes of `ansible-playbook` and `ansible` (ansible-core 2.14, `lib/ansible/cli/__init__.py`
 * and `executor/task_queue_manager.py`). Two codes are ambiguous, which is why a run is judged by
 * its JSON result first and by its exit code only when there is none:
 * - 2 is "hosts failed" (TaskQueueManager) and also argparse's usage error;
 * - 4 is "hosts unreachable" (RUN_UNREACHABLE_HOSTS; the man page says 3, ansible/ansible#19720)
 *   and also AnsibleParserError.
 */
export const AnsibleExitCode = {
  Ok: 0,
  Error: 1,
  HostsFailed: 2,
  /** Documented for unreachable hosts, returned by no current version. */
  UnreachableDocumented: 3,
  UnreachableOrParserError: 4,
  OptionsError: 5,
  NonUtf8Arguments: 6,
  Interrupted: 99,
  UnexpectedError: 250,
} as const;
export type AnsibleExitCode = (typeof AnsibleExitCode)[keyof typeof AnsibleExitCode];

/** How the child ended, as the runner saw it. */
export interface FinishedRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The runner killed it because the caller aborted (with this reason). */
  readonly aborted: { readonly reason: unknown } | undefined;
  /** The runner killed it because it outlived this many milliseconds. */
  readonly timedOutAfterMs: number | undefined;
  /** Failures Ansible ignored (`ignore_errors`), from the progress plugin. */
  readonly ignored?: IgnoredFailures;
}

/** Longest error detail put in a message, in characters; the full stderr stays on the error. */
const MAX_DETAIL = 1_000;

/** The text after Ansible's last `ERROR!`, on one line, or the last line of stderr. */
export function errorDetail(stderr: string): string {
  const at = stderr.lastIndexOf('ERROR!');
  const detail =
    at >= 0
      ? stderr.slice(at + 'ERROR!'.length)
      : (stderr
          .split('\n')
          .filter((l) => l.trim() !== '')
          .at(-1) ?? 'no message on stderr');
  const line = detail.replace(/\s+/g, ' ').trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL)}…` : line;
}

/** Turns a finished run into its result, or throws the error that tells what went wrong. */
export function judgeRun(run: FinishedRun): AnsibleRunResult {
  let result: AnsibleRunResult | undefined;
  let outputError: unknown;
  try {
    result = parseJsonCallbackOutput(run.stdout, run.exitCode ?? -1, run.stderr, run.ignored);
  } catch (error) {
    outputError = error;
  }
  const init = { exitCode: run.exitCode, signal: run.signal, stderr: run.stderr, result };
  if (run.aborted) throw new AnsibleAbortedError(init, { cause: run.aborted.reason });
  if (run.timedOutAfterMs !== undefined) throw new AnsibleTimeoutError(init, run.timedOutAfterMs);
  if (outputError !== undefined) throw outputError;
  if (run.signal !== null) throw new AnsibleInterruptedError(init);
  if (result !== undefined) {
    // Ansible itself puts failures first: a run with both exits 2.
    if (result.failedHosts.length > 0) {
      throw new AnsibleHostsFailedError({ ...init, hosts: result.failedHosts });
    }
    if (result.unreachableHosts.length > 0) {
      throw new AnsibleHostsUnreachableError({ ...init, hosts: result.unreachableHosts });
    }
    if (run.exitCode === AnsibleExitCode.Ok) return result;
    throw new AnsibleRunFailedError(init, errorDetail(run.stderr));
  }
  switch (run.exitCode) {
    case AnsibleExitCode.Ok:
      throw new AnsibleOutputError(
        'Ansible exited 0 but printed no JSON result (is the json callback there?)',
      );
    case AnsibleExitCode.UnreachableOrParserError:
      throw new AnsibleParseError(init, errorDetail(run.stderr));
    case AnsibleExitCode.OptionsError:
    case AnsibleExitCode.HostsFailed:
      throw new AnsibleUsageError(init, errorDetail(run.stderr));
    case AnsibleExitCode.Interrupted:
      throw new AnsibleInterruptedError(init);
    default:
      throw new AnsibleRunFailedError(init, errorDetail(run.stderr));
  }
}
