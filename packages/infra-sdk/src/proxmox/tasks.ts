import type { ProxmoxClient } from './client.js';
import { PveTaskFailedError } from './errors.js';
import { deadline, sleep } from './retry.js';
import { parseUpid } from './upid.js';
import { DEFAULT_WAIT_TIMEOUT_MS, type PveWaitOptions, pollDelays } from './wait-options.js';

export interface PveTaskResult {
  readonly upid: string;
  /** `OK` or `WARNINGS: N`. */
  readonly exitStatus: string;
  /** N of `WARNINGS: N`; 0 for `OK`. */
  readonly warnings: number;
}

/**
 * Waits for a task to stop, polling its status with a growing interval. `OK` and `WARNINGS: N`
 * are success (qemu-server ends a clone with warnings when, e.g., a cloud-init drive could not be
 * regenerated, but the VM is there). Anything else is a failure: the task log is fetched and
 * carried by the PveTaskFailedError.
 */
export async function waitForTask(
  client: ProxmoxClient,
  upid: string,
  opts: PveWaitOptions = {},
): Promise<PveTaskResult> {
  const { node } = parseUpid(upid);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const limit = deadline(`waiting for task ${upid}`, timeoutMs, opts.signal);
  try {
    for (const delay of pollDelays(opts)) {
      let status: Awaited<ReturnType<typeof taskStatus>>;
      try {
        status = await taskStatus(client, node, upid, limit.signal);
      } catch (err) {
        if (limit.signal.aborted) throw limit.error();
        throw err;
      }
      if (status.status === 'stopped') {
        const exit = (status.exitstatus ?? '').trim();
        if (exit === 'OK') return { upid, exitStatus: exit, warnings: 0 };
        const warn = /^WARNINGS: (\d+)$/.exec(exit);
        if (warn) return { upid, exitStatus: exit, warnings: Number(warn[1]) };
        let log: string[] = [];
        let logError: unknown;
        try {
          const lines = await client.call(
            'GET /nodes/{node}/tasks/{upid}/log',
            { node, upid, limit: 1000 },
            { signal: opts.signal },
          );
          log = lines.map((l) => l.t);
        } catch (err) {
          logError = err; // the failure matters more than its log
        }
        throw new PveTaskFailedError(
          upid,
          exit || 'unknown exit status',
          log,
          logError ? { cause: logError } : undefined,
        );
      }
      await sleep(delay, limit.signal).catch(() => {
        throw limit.error();
      });
    }
    throw new Error('unreachable');
  } finally {
    limit.dispose();
  }
}

function taskStatus(client: ProxmoxClient, node: string, upid: string, signal: AbortSignal) {
  return client.call('GET /nodes/{node}/tasks/{upid}/status', { node, upid }, { signal });
}
