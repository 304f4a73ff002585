import type { ProxmoxClient } from './client.js';
import { type PveTaskResult, waitForTask } from './tasks.js';
import type { PveParams, PveReturns } from './types.js';
import type { PveWaitOptions } from './wait-options.js';

/** A VM by node and id, as every helper takes it. */
export interface VmRef {
  readonly node: string;
  readonly vmid: number;
}

export type VmStatus = PveReturns<'GET /nodes/{node}/qemu/{vmid}/status/current'>;

/** `GET .../status/current`: running or stopped, lock, resources. */
export function vmStatus(
  client: ProxmoxClient,
  vm: VmRef,
  opts: { signal?: AbortSignal } = {},
): Promise<VmStatus> {
  return client.call(
    'GET /nodes/{node}/qemu/{vmid}/status/current',
    { node: vm.node, vmid: vm.vmid },
    { signal: opts.signal },
  );
}

/** Starts a VM and waits for the start task. */
export async function startVm(
  client: ProxmoxClient,
  vm: VmRef,
  opts: PveWaitOptions = {},
): Promise<PveTaskResult> {
  const upid = await client.call(
    'POST /nodes/{node}/qemu/{vmid}/status/start',
    { node: vm.node, vmid: vm.vmid },
    { signal: opts.signal },
  );
  return waitForTask(client, upid, opts);
}

/** Stops a VM hard (like pulling the plug) and waits for the task. */
export async function stopVm(
  client: ProxmoxClient,
  vm: VmRef,
  opts: PveWaitOptions = {},
): Promise<PveTaskResult> {
  const upid = await client.call(
    'POST /nodes/{node}/qemu/{vmid}/status/stop',
    { node: vm.node, vmid: vm.vmid },
    { signal: opts.signal },
  );
  return waitForTask(client, upid, opts);
}

/**
 * Asks the guest to shut down (ACPI or guest agent) and waits for the task.
 * `forceStop` stops it hard when it has not shut down within `guestTimeoutS`.
 */
export async function shutdownVm(
  client: ProxmoxClient,
  vm: VmRef,
  opts: PveWaitOptions & { readonly guestTimeoutS?: number; readonly forceStop?: boolean } = {},
): Promise<PveTaskResult> {
  const upid = await client.call(
    'POST /nodes/{node}/qemu/{vmid}/status/shutdown',
    {
      node: vm.node,
      vmid: vm.vmid,
      ...(opts.guestTimeoutS !== undefined ? { timeout: opts.guestTimeoutS } : {}),
      ...(opts.forceStop !== undefined ? { forceStop: opts.forceStop } : {}),
    },
    { signal: opts.signal },
  );
  return waitForTask(client, upid, opts);
}

/** A disk a VM can have: `scsi0`..`scsi30`, `virtio0`..`virtio15`, ... (from the schema's enum). */
export type DiskName = PveParams<'PUT /nodes/{node}/qemu/{vmid}/resize'>['disk'];

/**
 * Grows a disk: `size` is absolute (`'20G'`) or relative (`'+10G'`). Proxmox cannot shrink disks.
 */
export async function resizeDisk(
  client: ProxmoxClient,
  vm: VmRef,
  disk: DiskName,
  size: `${number}${'' | 'K' | 'M' | 'G' | 'T'}` | `+${number}${'' | 'K' | 'M' | 'G' | 'T'}`,
  opts: PveWaitOptions = {},
): Promise<PveTaskResult> {
  const upid = await client.call(
    'PUT /nodes/{node}/qemu/{vmid}/resize',
    { node: vm.node, vmid: vm.vmid, disk, size },
    { signal: opts.signal },
  );
  return waitForTask(client, upid, opts);
}

/** Converts a (stopped) VM into a template. */
export async function convertToTemplate(
  client: ProxmoxClient,
  vm: VmRef,
  opts: PveWaitOptions = {},
): Promise<PveTaskResult> {
  const upid = await client.call(
    'POST /nodes/{node}/qemu/{vmid}/template',
    { node: vm.node, vmid: vm.vmid },
    { signal: opts.signal },
  );
  return waitForTask(client, upid, opts);
}

/** Destroys a (stopped) VM and waits for the task. */
export async function destroyVm(
  client: ProxmoxClient,
  vm: VmRef,
  opts: PveWaitOptions = {},
): Promise<PveTaskResult> {
  const upid = await client.call(
    'DELETE /nodes/{node}/qemu/{vmid}',
    { node: vm.node, vmid: vm.vmid },
    { signal: opts.signal },
  );
  return waitForTask(client, upid, opts);
}

export type ClusterResource = PveReturns<'GET /cluster/resources'>[number];

/** `GET /cluster/resources`, optionally of one type (`vm`, `node`, `storage`, `sdn`). */
export function clusterResources(
  client: ProxmoxClient,
  type?: 'vm' | 'storage' | 'node' | 'sdn',
  opts: { signal?: AbortSignal } = {},
): Promise<ClusterResource[]> {
  return client.call('GET /cluster/resources', type ? { type } : {}, { signal: opts.signal });
}
