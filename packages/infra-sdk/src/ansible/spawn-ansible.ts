import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { AnsibleNotFoundError, AnsibleOutputError } from './errors.js';
import type { FinishedRun } from './exit-status.js';
import { type AnsibleProgressEvent, parseProgressLine } from './progress.js';
import { ignoredKey } from './result.js';

export interface SpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd: string | undefined;
  /** 0 disables. */
  readonly timeoutMs: number;
  readonly killGraceMs: number;
  readonly maxOutputBytes: number;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((event: AnsibleProgressEvent) => void) | undefined;
}

/** stderr kept for error messages: its tail, since Ansible prints the error last. */
const STDERR_TAIL_BYTES = 64 * 1024;

/**
 * After the child exits, how long its pipes may stay open (held by a grandchild that outlives it)
 * before we stop waiting for them, in milliseconds.
 */
const PIPE_DRAIN_MS = 2_000;

/** Splits a byte stream into lines and calls `onLine` for each complete one. */
function readLines(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line !== '') onLine(line);
      nl = pending.indexOf('\n');
    }
  });
}

/**
 * Runs Ansible in a process group of its own (`detached`), so that a timeout or an abort can
 * kill it together with its forks, workers and SSH children (`kill(-pgid)`): killing only the
 * leader would leave workers running the play. stdio: stdout carries the JSON result, stderr the
 * warnings and errors, descriptor 3 the progress lines of our callback plugin.
 */
export function spawnAnsible(options: SpawnOptions): Promise<FinishedRun> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      resolve({
        exitCode: null,
        signal: null,
        stdout: '',
        stderr: '',
        aborted: { reason: options.signal.reason },
        timedOutAfterMs: undefined,
      });
      return;
    }
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let aborted: { reason: unknown } | undefined;
    let timedOut = false;
    let failure: unknown;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const killGroup = (sig: NodeJS.Signals) => {
      // After the leader exits, members of its group may live on: still signal them until settled.
      if (child.pid === undefined || settled) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    const stop = () => {
      if (killTimer !== undefined) return;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs);
      killTimer.unref();
    };

    const timer =
      options.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            stop();
          }, options.timeoutMs)
        : undefined;
    const onAbort = () => {
      aborted = { reason: options.signal?.reason };
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > options.maxOutputBytes) {
        if (failure === undefined) {
          failure = new AnsibleOutputError(`Ansible printed more than ${options.maxOutputBytes} bytes`);
          stop();
        }
        return;
      }
      stdoutChunks.push(chunk);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > 2 * STDERR_TAIL_BYTES) stderr = stderr.slice(-STDERR_TAIL_BYTES);
    });
    const ignored = new Set<string>();
    const progress = child.stdio[3] as Readable | null;
    if (progress) {
      readLines(progress, (line) => {
        if (failure !== undefined) return;
        const event = parseProgressLine(line);
        if (event === undefined) return;
        if (event.type === 'host-result' && event.status === 'ignored') {
          ignored.add(ignoredKey(event.task.id, event.host));
        }
        if (options.onProgress === undefined) return;
        try {
          options.onProgress(event);
        } catch (error) {
          failure = error;
          stop();
        }
      });
    }

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      // A stopped run's leader may exit on SIGTERM while a member of its group ignores it:
      // do not leave that one behind until the grace period, which ends with this call.
      if (killTimer !== undefined) killGroup('SIGKILL');
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      for (const stream of [child.stdout, child.stderr, progress]) stream?.destroy();
      if (failure !== undefined) {
        reject(failure);
        return;
      }
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(stdoutChunks).toString('utf8'),
        stderr: stderr.length > STDERR_TAIL_BYTES ? stderr.slice(-STDERR_TAIL_BYTES) : stderr,
        aborted,
        timedOutAfterMs: timedOut ? options.timeoutMs : undefined,
        ignored,
      });
    };

    child.once('error', (error: NodeJS.ErrnoException) => {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      settled = true;
      reject(error.code === 'ENOENT' ? new AnsibleNotFoundError(options.command, { cause: error }) : error);
    });
    // 'close' waits for the pipes; a grandchild that keeps one open must not hang the run.
    child.once('exit', (code, sig) => {
      const drain = setTimeout(() => finish(code, sig), PIPE_DRAIN_MS);
      drain.unref();
      child.once('close', () => {
        clearTimeout(drain);
        finish(code, sig);
      });
    });
  });
}
