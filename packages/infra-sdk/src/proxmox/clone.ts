import { randomUUID } from 'node:crypto';
import type { ProxmoxClient } from './client.js';
import { PveApiError, PveVmidConflictError } from './errors.js';
import { type PveTaskResult, waitForTask } from './tasks.js';
import { waitForUnlock } from './vm-lock.js';
import type { VmRef } from './vm-ops.js';
import { type VmidOptions, withFreshVmid } from './vmid.js';
import type { PveWaitOptions } from './wait-options.js';

export interface CloneOptions extends PveWaitOptions {
  /** Node the template lives on. */
  readonly node: string;
  /** VMID of the template (or VM) to clone. */
  readonly template: number;
  /** VMID of the clone; a free one is claimed when left out (see `withFreshVmid`). */
  readonly newid?: number;
  /** Name of the clone (a DNS name). */
  readonly name?: string;
  /**
   * Full copy of the disks, or a linked clone of a template's base disks.
   * @default false for templates (linked), as Proxmox does
   */
  readonly full?: boolean;
  /** Node to put the clone on (shared storage needed for linked clones). */
  readonly target?: string;
  /** Target storage of a full clone. */
  readonly storage?: string;
  readonly pool?: string;
  readonly description?: string;
  /** How the fresh VMID is claimed. */
  readonly vmid?: VmidOptions;
}

export interface CloneResult extends VmRef {
  /** The clone task; absent when a retried clone found its VM already made by the first attempt. */
  readonly task?: PveTaskResult;
  /** True when the VM came from an earlier attempt of this same clone (a lost answer, retried). */
  readonly adopted: boolean;
}

/** Marker line in the clone's description that tells a retried clone its own VM from someone else's. */
const TOKEN_PREFIX = 'leviathan-clone-token:';

/**
 * Clones a template and waits for the clone task. Safe to retry: the POST is retried on
 * transient failures even when its answer was lost; if the VM then already exists, it is adopted
 * when it carries this call's clone token (written into the description during the clone and
 * removed afterwards) and refused with PveVmidConflictError otherwise. Without `newid`, a
 * collision with another creator moves on to a fresh VMID.
 */
export async function cloneVm(client: ProxmoxClient, opts: CloneOptions): Promise<CloneResult> {
  if (opts.newid !== undefined) return cloneTo(client, opts, opts.newid);
  return withFreshVmid(client, (vmid) => cloneTo(client, opts, vmid), { signal: opts.signal, ...opts.vmid });
}

async function cloneTo(client: ProxmoxClient, opts: CloneOptions, newid: number): Promise<CloneResult> {
  const token = randomUUID();
  const marker = `${TOKEN_PREFIX} ${token}`;
  const description = opts.description ? `${opts.description}\n${marker}` : marker;
  const targetNode = opts.target ?? opts.node;
  let upid: string | undefined;
  try {
    upid = await client.call(
      'POST /nodes/{node}/qemu/{vmid}/clone',
      {
        node: opts.node,
        vmid: opts.template,
        newid,
        description,
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.full !== undefined ? { full: opts.full } : {}),
        ...(opts.target !== undefined ? { target: opts.target } : {}),
        ...(opts.storage !== undefined ? { storage: opts.storage } : {}),
        ...(opts.pool !== undefined ? { pool: opts.pool } : {}),
      },
      // Repeating it is safe: a repeat that finds the VM checks the token below.
      { signal: opts.signal, idempotent: true },
    );
  } catch (err) {
    if (!(err instanceof PveApiError) || !/already exists/i.test(err.pveMessage)) throw err;
    if (!(await carriesToken(client, targetNode, newid, marker, opts.signal))) {
      throw new PveVmidConflictError(newid, { cause: err });
    }
  }
  const vm = { node: targetNode, vmid: newid };
  let task: PveTaskResult | undefined;
  if (upid) task = await waitForTask(client, upid, opts);
  else await waitForUnlock(client, vm, opts);
  // Put the user's description back, without the token.
  await client.call(
    'PUT /nodes/{node}/qemu/{vmid}/config',
    opts.description ? { ...vm, description: opts.description } : { ...vm, delete: 'description' },
    { signal: opts.signal },
  );
  return { ...vm, ...(task ? { task } : {}), adopted: !upid };
}

async function carriesToken(
  client: ProxmoxClient,
  node: string,
  vmid: number,
  marker: string,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  try {
    const config = await client.call('GET /nodes/{node}/qemu/{vmid}/config', { node, vmid }, { signal });
    return typeof config.description === 'string' && config.description.includes(marker);
  } catch (err) {
    if (err instanceof PveApiError) return false; // exists elsewhere, or not ours to read
    throw err;
  }
}
