import type { ProxmoxClient } from './client.js';
import { PveLockTimeoutError } from './errors.js';
import { deadline, sleep } from './retry.js';
import { DEFAULT_WAIT_TIMEOUT_MS, type PveWaitOptions, pollDelays } from './wait-options.js';

/**
 * Waits until a VM's config has no `lock` (clone, create, backup, migrate, ...). Throws
 * PveLockTimeoutError when it is still locked at the deadline.
 */
export async function waitForUnlock(
  client: ProxmoxClient,
  vm: { readonly node: string; readonly vmid: number },
  opts: PveWaitOptions = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const limit = deadline(`waiting for VM ${vm.vmid} to unlock`, timeoutMs, opts.signal);
  let lock = '';
  try {
    for (const delay of pollDelays(opts)) {
      const config = await client
        .call(
          'GET /nodes/{node}/qemu/{vmid}/config',
          { node: vm.node, vmid: vm.vmid, current: true },
          { signal: limit.signal },
        )
        .catch((err: unknown) => {
          if (limit.signal.aborted) throw limit.error();
          throw err;
        });
      lock = typeof config.lock === 'string' ? config.lock : '';
      if (!lock) return;
      await sleep(delay, limit.signal);
    }
  } catch (err) {
    if (limit.signal.aborted && !opts.signal?.aborted)
      throw new PveLockTimeoutError(vm.vmid, lock, timeoutMs);
    if (limit.signal.aborted) throw limit.error();
    throw err;
  } finally {
    limit.dispose();
  }
}
