import type { ProxmoxClient } from './client.js';
import { PveApiError, PveInvalidParamsError, PveVmidConflictError, PveVmidExhaustedError } from './errors.js';

/** VMIDs handed out in this process and not yet used, per client: two concurrent clones never get the same one. */
const claimed = new WeakMap<ProxmoxClient, Set<number>>();

function claimsOf(client: ProxmoxClient): Set<number> {
  let set = claimed.get(client);
  if (!set) {
    set = new Set();
    claimed.set(client, set);
  }
  return set;
}

export interface VmidOptions {
  readonly signal?: AbortSignal;
  /**
   * Candidates to try before giving up.
   * @default 20
   */
  readonly attempts?: number;
}

/**
 * Claims a free VMID. `GET /cluster/nextid` only suggests one (Proxmox reserves nothing), so
 * concurrent callers in this process are kept apart by an in-process claim list, and every
 * candidate is confirmed with `GET /cluster/nextid?vmid=N` (400 when taken). Call `release()`
 * once the VM exists or the attempt failed. Other processes can still race between the check and
 * the create: use `withFreshVmid`, which retries on that collision.
 */
export async function claimVmid(
  client: ProxmoxClient,
  opts: VmidOptions = {},
): Promise<{ vmid: number; release: () => void }> {
  const claims = claimsOf(client);
  const attempts = opts.attempts ?? 20;
  let candidate = await client.call('GET /cluster/nextid', {}, { signal: opts.signal });
  for (let i = 0; i < attempts; i++) {
    while (claims.has(candidate)) candidate++;
    try {
      const confirmed = await client.call(
        'GET /cluster/nextid',
        { vmid: candidate },
        { signal: opts.signal },
      );
      claims.add(confirmed);
      let released = false;
      return {
        vmid: confirmed,
        release: () => {
          if (!released) claims.delete(confirmed);
          released = true;
        },
      };
    } catch (err) {
      if (!(err instanceof PveInvalidParamsError) || !err.paramErrors.vmid) throw err;
      candidate++; // taken since nextid answered: try the next one
    }
  }
  throw new PveVmidExhaustedError(attempts);
}

/** Whether an error says the VMID is taken (qemu-server: "VM 105 already exists on node 'pve'"). */
export function isVmidCollision(err: unknown): boolean {
  if (err instanceof PveVmidConflictError) return true;
  return err instanceof PveApiError && /already exists/i.test(err.pveMessage);
}

/**
 * Runs `create(vmid)` with a freshly claimed VMID, and again with a new one when it fails because
 * another creator took that VMID first.
 */
export async function withFreshVmid<T>(
  client: ProxmoxClient,
  create: (vmid: number) => Promise<T>,
  opts: VmidOptions = {},
): Promise<T> {
  const attempts = opts.attempts ?? 20;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    const { vmid, release } = await claimVmid(client, opts);
    try {
      return await create(vmid);
    } catch (err) {
      if (!isVmidCollision(err)) throw err;
      last = err;
    } finally {
      release();
    }
  }
  throw new PveVmidExhaustedError(attempts, { cause: last });
}
