/**
 * The QEMU snapshot endpoints of the simulator, after pve-guest-common's `PVE::AbstractConfig`
 * (`snapshot_create`, `snapshot_rollback`, `snapshot_delete`) and qemu-server's API handlers:
 *
 * - The API checks only the reserved names (`current`, `pending`) before it forks the worker; the
 *   rest (template, lock, duplicate name, snapshot not found) is checked inside the task, so those
 *   errors come back as a failed task, not as an HTTP error.
 * - Each task holds a config lock while it runs: `snapshot`, `rollback`, `snapshot-delete`.
 * - A snapshot copies the config except `description`, `lock`, `digest`, `unused*` and the
 *   snapshot metadata; its `parent` is the VM's `parent` at that time, and the VM's `parent`
 *   becomes the new snapshot. RAM (`vmstate`) is saved only when the VM runs, as upstream.
 * - Rollback stops the VM, puts the snapshot's config back (keeping the current `description` and
 *   `unused*`), sets `parent` to it, and starts the VM again from the saved RAM when the snapshot
 *   has it; without RAM the VM stays stopped unless `start` is set. A rollback whose task fails
 *   leaves the VM stopped and locked (`rollback`), as a failed volume rollback does upstream.
 * - Delete re-points the children (and the VM) from the deleted snapshot to its parent. A delete
 *   that fails leaves the lock `snapshot-delete` and the snapshot in `snapstate: delete`, unless
 *   `force` is set, which removes it from the config anyway.
 */
import { SimHttpError, type SimSnapshot, type SimVm } from './sim-cluster.js';
import type { Route, RouteContext } from './sim-routes.js';

/** Keys `__snapshot_copy_config` leaves out of a snapshot (besides `unused*`). */
const NOT_COPIED = new Set([
  'snapshots',
  'snapstate',
  'snaptime',
  'vmstate',
  'lock',
  'digest',
  'description',
]);

function vmOf(ctx: RouteContext): SimVm {
  return ctx.cluster.requireVm(String(ctx.values.node), Number(ctx.values.vmid));
}

function copyConfig(source: Readonly<Record<string, string | number>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(source)) {
    if (!NOT_COPIED.has(k) && !/^unused\d+$/.test(k)) out[k] = v;
  }
  return out;
}

/** `PVE::AbstractConfig::check_lock`'s message (guest type "VM", no VMID). */
function lockError(vm: SimVm): string | undefined {
  return vm.lock ? `VM is locked (${vm.lock})` : undefined;
}

function snapshotOf(vm: SimVm, name: string): SimSnapshot {
  const snap = vm.snapshots.get(name);
  if (!snap) throw new SimHttpError(500, `snapshot '${name}' does not exist`);
  return snap;
}

export const SNAPSHOT_ROUTES: Readonly<Record<string, Route>> = {
  'GET /nodes/{node}/qemu/{vmid}/snapshot': (ctx) => {
    const vm = vmOf(ctx);
    const list: Array<Record<string, unknown>> = [...vm.snapshots.values()].map((s) => ({
      name: s.name,
      snaptime: s.snaptime,
      description: s.description,
      ...(s.parent ? { parent: s.parent } : {}),
      ...(s.snapstate ? { snapstate: s.snapstate } : {}),
      ...(s.vmstate ? { vmstate: 1 } : {}),
    }));
    // qemu-server appends the VM itself as the pseudo-snapshot 'current'.
    list.push({
      name: 'current',
      digest: 'simulated',
      running: vm.status === 'running' ? 1 : 0,
      description: 'You are here!',
      ...(vm.config.parent !== undefined ? { parent: String(vm.config.parent) } : {}),
    });
    return list;
  },

  'POST /nodes/{node}/qemu/{vmid}/snapshot': (ctx) => {
    const vm = vmOf(ctx);
    const name = String(ctx.values.snapname);
    if (name === 'current')
      throw new SimHttpError(500, "unable to use snapshot name 'current' (reserved name)");
    if (name.toLowerCase() === 'pending')
      throw new SimHttpError(500, "unable to use snapshot name 'pending' (reserved name)");
    const refusal = vm.template
      ? "you can't take a snapshot if it's a template"
      : (lockError(vm) ?? (vm.snapshots.has(name) ? `snapshot name '${name}' already used` : undefined));
    const start = (effect: (ok: boolean) => void) =>
      ctx.tasks.start(vm.node, 'qmsnapshot', String(vm.vmid), ctx.user, effect, refusal);
    if (refusal) return start(() => {}).upid;
    // A stale parent reference to this name would make a cycle: upstream drops it, with a warning.
    for (const s of vm.snapshots.values()) if (s.parent === name) s.parent = undefined;
    const parent = vm.config.parent === undefined ? undefined : String(vm.config.parent);
    const config = copyConfig(vm.config);
    delete config.parent; // kept beside the config, as `parent` of the snapshot
    vm.lock = 'snapshot';
    const task = start((ok) => {
      vm.lock = undefined;
      if (!ok) {
        vm.snapshots.delete(name); // snapshot_create cleans up after a failure
        return;
      }
      snap.snapstate = undefined;
      vm.config.parent = name;
    });
    const snap: SimSnapshot = {
      name,
      parent,
      snaptime: task.starttime,
      description: ctx.values.description === undefined ? '' : String(ctx.values.description),
      vmstate:
        ctx.values.vmstate === true && vm.status === 'running'
          ? `${ctx.cluster.storage}:vm-${vm.vmid}-state-${name}`
          : undefined,
      snapstate: 'prepare',
      config,
    };
    vm.snapshots.set(name, snap);
    return task.upid;
  },

  // Upstream answers the two sub-links without looking at the snapshot.
  'GET /nodes/{node}/qemu/{vmid}/snapshot/{snapname}': (ctx) => {
    vmOf(ctx);
    return [{ cmd: 'rollback' }, { cmd: 'config' }];
  },

  'GET /nodes/{node}/qemu/{vmid}/snapshot/{snapname}/config': (ctx) => {
    const snap = snapshotOf(vmOf(ctx), String(ctx.values.snapname));
    return {
      ...snap.config,
      ...(snap.parent ? { parent: snap.parent } : {}),
      snaptime: snap.snaptime,
      ...(snap.description ? { description: snap.description } : {}),
      ...(snap.vmstate ? { vmstate: snap.vmstate } : {}),
      ...(snap.snapstate ? { snapstate: snap.snapstate } : {}),
      digest: 'simulated',
    };
  },

  'PUT /nodes/{node}/qemu/{vmid}/snapshot/{snapname}/config': (ctx) => {
    const snap = snapshotOf(vmOf(ctx), String(ctx.values.snapname));
    if (ctx.values.description !== undefined) snap.description = String(ctx.values.description);
    return null;
  },

  'POST /nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback': (ctx) => {
    const vm = vmOf(ctx);
    const name = String(ctx.values.snapname);
    const snap = vm.snapshots.get(name);
    const refusal = vm.template
      ? "you can't rollback if vm is a template"
      : !snap
        ? `snapshot '${name}' does not exist`
        : snap.snapstate
          ? `unable to rollback to incomplete snapshot (snapstate = ${snap.snapstate})`
          : lockError(vm);
    if (refusal || !snap)
      return ctx.tasks.start(vm.node, 'qmrollback', String(vm.vmid), ctx.user, () => {}, refusal).upid;
    // The prepare step stops the VM and takes the lock before the volumes are rolled back.
    vm.status = 'stopped';
    vm.lock = 'rollback';
    return ctx.tasks.start(vm.node, 'qmrollback', String(vm.vmid), ctx.user, (ok) => {
      if (!ok) return; // stopped and still locked, as upstream after a failed volume rollback
      vm.lock = undefined;
      const keep: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(vm.config)) {
        if (k === 'description' || /^unused\d+$/.test(k)) keep[k] = v;
      }
      vm.config = { ...keep, ...snap.config, parent: name };
      if (snap.vmstate || ctx.values.start === true) vm.status = 'running';
    }).upid;
  },

  'DELETE /nodes/{node}/qemu/{vmid}/snapshot/{snapname}': (ctx) => {
    const vm = vmOf(ctx);
    const name = String(ctx.values.snapname);
    const snap = vm.snapshots.get(name);
    const refusal = !snap
      ? `snapshot '${name}' does not exist`
      : (lockError(vm) ?? (vm.template ? "you can't delete a snapshot if vm is a template" : undefined));
    if (refusal || !snap)
      return ctx.tasks.start(vm.node, 'qmdelsnapshot', String(vm.vmid), ctx.user, () => {}, refusal).upid;
    vm.lock = 'snapshot-delete';
    snap.snapstate = 'delete';
    const force = ctx.values.force === true;
    return ctx.tasks.start(vm.node, 'qmdelsnapshot', String(vm.vmid), ctx.user, (ok) => {
      if (!ok && !force) return; // left locked and half-deleted, for a retry with `force`
      for (const s of vm.snapshots.values()) if (s.parent === name) s.parent = snap.parent;
      if (vm.config.parent === name) {
        if (snap.parent) vm.config.parent = snap.parent;
        else delete vm.config.parent;
      }
      vm.snapshots.delete(name);
      vm.lock = undefined;
    }).upid;
  },
};
