import type { ProxmoxClient } from './client.js';
import {
  PveApiError,
  PveSnapshotExistsError,
  PveSnapshotMissingError,
  PveSnapshotNameError,
  PveTaskFailedError,
  PveVmLockedError,
} from './errors.js';
import { type PveTaskResult, waitForTask } from './tasks.js';
import type { VmRef } from './vm-ops.js';
import type { PveWaitOptions } from './wait-options.js';

/** A snapshot of a VM, as `listSnapshots` returns it. */
export interface VmSnapshot {
  readonly name: string;
  /** Empty when none was given. */
  readonly description: string;
  /** The snapshot this one was taken on top of; undefined for a root. */
  readonly parent: string | undefined;
  /** When it was taken (Proxmox keeps whole seconds). */
  readonly snaptime: Date | undefined;
  /** Whether it holds the RAM (rolling back to it resumes the VM running). */
  readonly vmstate: boolean;
  /**
   * Whether the VM's current state is based on this snapshot (it is the parent of Proxmox's
   * pseudo-entry `current`, which the list leaves out).
   */
  readonly current: boolean;
  /** `prepare` while being taken, `delete` after a delete that failed; undefined when complete. */
  readonly snapstate: string | undefined;
}

/** Longest snapshot name the schema allows (`snapname` has `maxLength: 40`). */
const MAX_NAME = 40;

/**
 * Throws PveSnapshotNameError for a name Proxmox would refuse: the schema's `pve-configid`
 * format (a letter, then letters, digits, `-` and `_`; at least two characters), at most 40
 * characters, and not the names qemu-server reserves (`current`, the VM itself in the list, and
 * `pending`). Checked locally so that a bad name costs no request and no half-made task.
 */
export function assertSnapshotName(name: string): void {
  if (name.length > MAX_NAME) throw new PveSnapshotNameError(name, `longer than ${MAX_NAME} characters`);
  if (!/^[a-z][a-z0-9_-]+$/i.test(name)) {
    throw new PveSnapshotNameError(
      name,
      'must start with a letter and have at least two characters, all letters, digits, - or _',
    );
  }
  if (name === 'current' || name.toLowerCase() === 'pending') {
    throw new PveSnapshotNameError(name, 'the name is reserved by Proxmox');
  }
}

/**
 * Turns Proxmox's messages for the usual snapshot failures into typed errors. qemu-server checks
 * locks, duplicates and existence inside the task, so they arrive as a failed task (its exit
 * status is the message); an HTTP 500 with the same message is handled alike. Other errors pass.
 */
function typed(err: unknown, vm: VmRef, name: string): unknown {
  const message =
    err instanceof PveTaskFailedError
      ? err.exitStatus
      : err instanceof PveApiError
        ? err.pveMessage
        : undefined;
  if (message === undefined) return err;
  if (/snapshot name '.*' already used/.test(message))
    return new PveSnapshotExistsError(vm.vmid, name, { cause: err });
  if (/snapshot '.*' does not exist/.test(message))
    return new PveSnapshotMissingError(vm.vmid, name, { cause: err });
  const lock = /\bis locked \(([^)]+)\)/.exec(message);
  if (lock) return new PveVmLockedError(vm.vmid, lock[1]!, { cause: err });
  return err;
}

async function runTask(
  client: ProxmoxClient,
  vm: VmRef,
  name: string,
  opts: PveWaitOptions,
  post: () => Promise<string>,
): Promise<PveTaskResult> {
  try {
    return await waitForTask(client, await post(), opts);
  } catch (err) {
    throw typed(err, vm, name);
  }
}

export interface CreateSnapshotOptions extends PveWaitOptions {
  readonly description?: string;
  /**
   * Save the RAM too, so that a rollback resumes the VM where it was. Ignored by Proxmox when the
   * VM is stopped.
   * @default false
   */
  readonly vmstate?: boolean;
}

/**
 * Takes a snapshot and waits for the task. Throws PveSnapshotNameError before any request for a
 * name Proxmox refuses, PveSnapshotExistsError when the name is taken, PveVmLockedError while
 * another operation holds the VM's lock.
 */
export async function createSnapshot(
  client: ProxmoxClient,
  vm: VmRef,
  name: string,
  opts: CreateSnapshotOptions = {},
): Promise<PveTaskResult> {
  assertSnapshotName(name);
  return runTask(client, vm, name, opts, () =>
    client.call(
      'POST /nodes/{node}/qemu/{vmid}/snapshot',
      {
        node: vm.node,
        vmid: vm.vmid,
        snapname: name,
        ...(opts.description !== undefined ? { description: opts.description } : {}),
        ...(opts.vmstate !== undefined ? { vmstate: opts.vmstate } : {}),
      },
      { signal: opts.signal },
    ),
  );
}

/**
 * The VM's snapshots, oldest first, without Proxmox's pseudo-entry `current` (the VM itself): the
 * snapshot it is based on has `current: true`.
 */
export async function listSnapshots(
  client: ProxmoxClient,
  vm: VmRef,
  opts: { signal?: AbortSignal } = {},
): Promise<VmSnapshot[]> {
  const entries = await client.call(
    'GET /nodes/{node}/qemu/{vmid}/snapshot',
    { node: vm.node, vmid: vm.vmid },
    { signal: opts.signal },
  );
  const here = entries.find((e) => e.name === 'current')?.parent;
  const snapshots = entries
    .filter((e) => e.name !== 'current')
    .map((e): VmSnapshot => {
      // Not in the schema's `returns`, but qemu-server sends it for incomplete snapshots.
      const snapstate = (e as { snapstate?: unknown }).snapstate;
      return {
        name: e.name,
        description: e.description ?? '',
        parent: e.parent || undefined,
        // Proxmox answers 0 for a snapshot without a time (made by old versions).
        snaptime: e.snaptime ? new Date(e.snaptime * 1000) : undefined,
        vmstate: e.vmstate === true || e.vmstate === 1,
        current: e.name === here,
        snapstate: typeof snapstate === 'string' ? snapstate : undefined,
      };
    });
  // Snapshots taken within one second tie on snaptime: the tree's depth puts parents first.
  const byName = new Map(snapshots.map((s) => [s.name, s]));
  const depth = (s: VmSnapshot): number => {
    let d = 0;
    for (let p = s.parent; p !== undefined && d <= byName.size; p = byName.get(p)?.parent) d++;
    return d;
  };
  const time = (s: VmSnapshot): number => s.snaptime?.getTime() ?? 0;
  return snapshots.sort((a, b) => time(a) - time(b) || depth(a) - depth(b) || a.name.localeCompare(b.name));
}

export interface RollbackSnapshotOptions extends PveWaitOptions {
  /**
   * Start the VM after the rollback. Proxmox always stops the VM to roll back; a snapshot with
   * RAM resumes it running anyway, one without leaves it stopped unless this is set.
   * @default false
   */
  readonly start?: boolean;
}

/**
 * Rolls the VM back to a snapshot (disks and config) and waits for the task. Throws
 * PveSnapshotMissingError or PveVmLockedError; a failed rollback leaves the VM stopped and
 * locked (`rollback`) on Proxmox, to be unlocked by hand after looking at the storage.
 */
export async function rollbackSnapshot(
  client: ProxmoxClient,
  vm: VmRef,
  name: string,
  opts: RollbackSnapshotOptions = {},
): Promise<PveTaskResult> {
  assertSnapshotName(name);
  return runTask(client, vm, name, opts, () =>
    client.call(
      'POST /nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback',
      {
        node: vm.node,
        vmid: vm.vmid,
        snapname: name,
        ...(opts.start !== undefined ? { start: opts.start } : {}),
      },
      { signal: opts.signal },
    ),
  );
}

export interface DeleteSnapshotOptions extends PveWaitOptions {
  /**
   * Remove it from the config even when removing the disk snapshots fails (they may stay behind
   * on the storage).
   * @default false
   */
  readonly force?: boolean;
}

/**
 * Deletes a snapshot and waits for the task; its children are re-parented to its parent.
 * Throws PveSnapshotMissingError or PveVmLockedError.
 */
export async function deleteSnapshot(
  client: ProxmoxClient,
  vm: VmRef,
  name: string,
  opts: DeleteSnapshotOptions = {},
): Promise<PveTaskResult> {
  assertSnapshotName(name);
  return runTask(client, vm, name, opts, () =>
    client.call(
      'DELETE /nodes/{node}/qemu/{vmid}/snapshot/{snapname}',
      {
        node: vm.node,
        vmid: vm.vmid,
        snapname: name,
        ...(opts.force !== undefined ? { force: opts.force } : {}),
      },
      { signal: opts.signal },
    ),
  );
}
