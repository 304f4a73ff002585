import { afterEach, describe, expect, it } from 'vitest';
import {
  createSnapshot,
  deleteSnapshot,
  listSnapshots,
  PveSnapshotExistsError,
  PveSnapshotGuardError,
  PveSnapshotMissingError,
  PveSnapshotNameError,
  PveTaskFailedError,
  PveVmLockedError,
  rollbackSnapshot,
  type SnapshotGuardEvent,
  startVm,
  vmStatus,
  withSnapshots,
} from '../../src/index.js';
import { FAST_POLL, simWithClient } from './fixtures.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

/** A simulator with game VMs 101..10n on node `pve` (running unless said), and a client. */
async function setup(n = 1, status: 'running' | 'stopped' = 'running') {
  const vms = Array.from({ length: n }, (_, i) => ({ vmid: 101 + i, node: 'pve', status }));
  const s = await simWithClient({ vms });
  cleanup.push(s.close);
  return { ...s, refs: vms.map(({ node, vmid }) => ({ node, vmid })) };
}

const setMemory = (pve: Awaited<ReturnType<typeof setup>>['pve'], vmid: number, memory: string) =>
  pve.call('PUT /nodes/{node}/qemu/{vmid}/config', { node: 'pve', vmid, memory });

describe('snapshots', () => {
  it('creates, lists, rolls back and deletes, with the tree and times Proxmox keeps', async () => {
    const { pve, refs } = await setup();
    const vm = refs[0]!;
    const before = Math.floor(Date.now() / 1000) * 1000;
    await createSnapshot(pve, vm, 'base', { description: 'clean', ...FAST_POLL });
    await createSnapshot(pve, vm, 'second', FAST_POLL);
    const list = await listSnapshots(pve, vm);
    expect(list.map((s) => [s.name, s.parent, s.current, s.description, s.vmstate])).toEqual([
      ['base', undefined, false, 'clean', false],
      ['second', 'base', true, '', false],
    ]);
    expect(list[0]!.snaptime).toBeInstanceOf(Date);
    expect(list[0]!.snaptime!.getTime()).toBeGreaterThanOrEqual(before);
    // The raw list has the pseudo-entry 'current' that listSnapshots leaves out.
    const raw = await pve.call('GET /nodes/{node}/qemu/{vmid}/snapshot', vm);
    expect(raw.find((e) => e.name === 'current')).toMatchObject({ parent: 'second' });

    await rollbackSnapshot(pve, vm, 'base', FAST_POLL);
    expect((await listSnapshots(pve, vm)).find((s) => s.current)?.name).toBe('base');
    // Deleting a snapshot with a child re-parents the child to its parent (none here).
    await deleteSnapshot(pve, vm, 'base', FAST_POLL);
    const after = await listSnapshots(pve, vm);
    expect(after.map((s) => [s.name, s.parent])).toEqual([['second', undefined]]);
    // The VM was based on 'base': it now has no parent.
    const config = await pve.call('GET /nodes/{node}/qemu/{vmid}/config', vm);
    expect(config.parent).toBeUndefined();
  });

  it('puts the config of the snapshot back on rollback, and keeps the current description', async () => {
    const { pve, sim, refs } = await setup();
    const vm = refs[0]!;
    await setMemory(pve, vm.vmid, '2048');
    await createSnapshot(pve, vm, 'before_change', FAST_POLL);
    await setMemory(pve, vm.vmid, '8192');
    await pve.call('PUT /nodes/{node}/qemu/{vmid}/config', { ...vm, description: 'notes', cores: 8 });
    const snapConfig = await pve.call('GET /nodes/{node}/qemu/{vmid}/snapshot/{snapname}/config', {
      ...vm,
      snapname: 'before_change',
    });
    expect(snapConfig).toMatchObject({ memory: '2048', cores: 2 });
    expect(snapConfig.description).toBeUndefined(); // a snapshot holds its own, not the VM's
    await pve.call('PUT /nodes/{node}/qemu/{vmid}/snapshot/{snapname}/config', {
      ...vm,
      snapname: 'before_change',
      description: '2 GiB',
    });
    expect((await listSnapshots(pve, vm))[0]?.description).toBe('2 GiB');
    await rollbackSnapshot(pve, vm, 'before_change', FAST_POLL);
    expect(sim.vm(vm.vmid)?.config).toMatchObject({
      memory: '2048',
      cores: 2,
      description: 'notes',
      parent: 'before_change',
    });
  });

  it('stops a running VM on rollback without RAM, and resumes it with RAM (as Proxmox does)', async () => {
    const { pve, refs } = await setup(2);
    const [plain, withRam] = refs as [(typeof refs)[0], (typeof refs)[0]];
    await createSnapshot(pve, plain, 'disk_only', FAST_POLL);
    await createSnapshot(pve, withRam, 'with_ram', { vmstate: true, ...FAST_POLL });
    expect((await listSnapshots(pve, withRam))[0]?.vmstate).toBe(true);
    await rollbackSnapshot(pve, plain, 'disk_only', FAST_POLL);
    await rollbackSnapshot(pve, withRam, 'with_ram', FAST_POLL);
    expect((await vmStatus(pve, plain)).status).toBe('stopped');
    expect((await vmStatus(pve, withRam)).status).toBe('running');
    await rollbackSnapshot(pve, plain, 'disk_only', { start: true, ...FAST_POLL });
    expect((await vmStatus(pve, plain)).status).toBe('running');
  });

  it('saves no RAM of a stopped VM, even when asked', async () => {
    const { pve, refs } = await setup(1, 'stopped');
    await createSnapshot(pve, refs[0]!, 'cold', { vmstate: true, ...FAST_POLL });
    expect((await listSnapshots(pve, refs[0]!))[0]?.vmstate).toBe(false);
  });

  it('rejects a bad name locally, before any request', async () => {
    const { pve, sim, refs } = await setup();
    const sent = sim.requests.length;
    for (const name of ['1st', 'a', 'has space', 'current', 'Pending', 'x'.repeat(41), 'dots.no']) {
      await expect(createSnapshot(pve, refs[0]!, name)).rejects.toBeInstanceOf(PveSnapshotNameError);
    }
    await expect(rollbackSnapshot(pve, refs[0]!, 'current')).rejects.toMatchObject({
      code: 'LEV_ERR_PVE_SNAPSHOT_NAME',
    });
    expect(sim.requests.length).toBe(sent);
    // The simulator refuses them too, like Proxmox, when the SDK is bypassed.
    await expect(
      pve.call('POST /nodes/{node}/qemu/{vmid}/snapshot', { ...refs[0]!, snapname: 'current' }),
    ).rejects.toMatchObject({ status: 500, pveMessage: expect.stringMatching(/reserved name/) });
  });

  it('reports a duplicate name, a missing snapshot and a locked VM as typed errors', async () => {
    const { pve, sim, refs } = await setup();
    const vm = refs[0]!;
    await createSnapshot(pve, vm, 'dup', FAST_POLL);
    const dup = await createSnapshot(pve, vm, 'dup', FAST_POLL).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(PveSnapshotExistsError);
    expect((dup as PveSnapshotExistsError).cause).toBeInstanceOf(PveTaskFailedError);
    await expect(rollbackSnapshot(pve, vm, 'nope', FAST_POLL)).rejects.toBeInstanceOf(
      PveSnapshotMissingError,
    );
    await expect(deleteSnapshot(pve, vm, 'nope', FAST_POLL)).rejects.toMatchObject({
      code: 'LEV_ERR_PVE_SNAPSHOT_MISSING',
      vmid: 101,
      snapname: 'nope',
    });

    // While a snapshot task runs, the VM is locked: other snapshot operations fail.
    sim.tasks.hold();
    const first = createSnapshot(pve, vm, 'slow', FAST_POLL);
    await expect.poll(() => sim.vm(vm.vmid)?.lock).toBe('snapshot');
    const locked = await createSnapshot(pve, vm, 'other', FAST_POLL).catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(PveVmLockedError);
    expect(locked).toMatchObject({ vmid: 101, lock: 'snapshot' });
    await expect(rollbackSnapshot(pve, vm, 'dup', FAST_POLL)).rejects.toBeInstanceOf(PveVmLockedError);
    sim.tasks.hold(false);
    sim.tasks.release();
    await first;
    expect((await listSnapshots(pve, vm)).map((s) => s.name)).toEqual(['dup', 'slow']);
  });

  it('re-parents the children of a deleted snapshot to its parent', async () => {
    const { pve, refs } = await setup();
    const vm = refs[0]!;
    for (const name of ['a1', 'b2', 'c3']) await createSnapshot(pve, vm, name, FAST_POLL);
    await deleteSnapshot(pve, vm, 'b2', FAST_POLL);
    expect((await listSnapshots(pve, vm)).map((s) => [s.name, s.parent, s.current])).toEqual([
      ['a1', undefined, false],
      ['c3', 'a1', true],
    ]);
  });

  it('leaves a VM locked after a failed delete, and force removes the snapshot anyway', async () => {
    const { pve, sim, refs } = await setup();
    const vm = refs[0]!;
    await createSnapshot(pve, vm, 'stuck', FAST_POLL);
    sim.setTaskOutcome({ type: 'qmdelsnapshot' }, { exitstatus: 'lvremove failed' });
    await expect(deleteSnapshot(pve, vm, 'stuck', FAST_POLL)).rejects.toBeInstanceOf(PveTaskFailedError);
    expect(sim.vm(vm.vmid)?.lock).toBe('snapshot-delete');
    expect((await listSnapshots(pve, vm))[0]?.snapstate).toBe('delete');
    // Upstream's delete takes the lock again: an operator unlocks (`qm unlock`) before retrying.
    await expect(deleteSnapshot(pve, vm, 'stuck', FAST_POLL)).rejects.toMatchObject({
      lock: 'snapshot-delete',
    });
    sim.vm(vm.vmid)!.lock = undefined;
    // With force, upstream only warns about disk snapshots it cannot remove: the task ends with warnings.
    sim.setTaskOutcome({ type: 'qmdelsnapshot' }, { exitstatus: 'WARNINGS: 1' });
    const forced = await deleteSnapshot(pve, vm, 'stuck', { force: true, ...FAST_POLL });
    expect(forced.warnings).toBe(1);
    expect(await listSnapshots(pve, vm)).toEqual([]);
  });
});

describe('withSnapshots', () => {
  it('rolls every VM back after a successful run and deletes the snapshots', async () => {
    const { pve, sim, refs } = await setup(3);
    const events: SnapshotGuardEvent[] = [];
    const result = await withSnapshots(
      pve,
      refs,
      'load_test',
      async () => {
        // The "load test" changes the VMs.
        for (const vm of refs) await setMemory(pve, vm.vmid, '4096');
        expect((await listSnapshots(pve, refs[0]!)).map((s) => s.name)).toEqual(['load_test']);
        return 'report';
      },
      { ...FAST_POLL, onProgress: (e) => events.push(e) },
    );
    expect(result).toBe('report');
    for (const vm of refs) {
      expect(sim.vm(vm.vmid)?.config.memory).toBe('2048');
      expect(await listSnapshots(pve, vm)).toEqual([]);
      // Rolled back to a snapshot without RAM, and started again as it was running.
      expect(sim.vm(vm.vmid)?.status).toBe('running');
    }
    const steps = events.filter((e) => e.state === 'done').map((e) => e.step);
    expect(steps.filter((s) => s === 'snapshot')).toHaveLength(3);
    expect(steps.filter((s) => s === 'rollback')).toHaveLength(3);
    expect(steps.filter((s) => s === 'delete')).toHaveLength(3);
    expect(steps.indexOf('run')).toBeGreaterThan(steps.lastIndexOf('snapshot'));
  });

  it("rolls back when the run fails, and with 'on-failure' only then", async () => {
    const { pve, sim, refs } = await setup(2);
    const boom = new Error('thresholds breached');
    await expect(
      withSnapshots(
        pve,
        refs,
        'failing',
        async () => {
          await setMemory(pve, 101, '4096');
          throw boom;
        },
        { rollback: 'on-failure', ...FAST_POLL },
      ),
    ).rejects.toBe(boom);
    expect(sim.vm(101)?.config.memory).toBe('2048');

    await withSnapshots(pve, refs, 'passing', () => setMemory(pve, 101, '4096'), {
      rollback: 'on-failure',
      ...FAST_POLL,
    });
    expect(sim.vm(101)?.config.memory).toBe('4096'); // kept: the run succeeded
    expect(await listSnapshots(pve, refs[0]!)).toEqual([]);
  });

  it('rolls back every VM when one rollback fails, and says which', async () => {
    const { pve, sim, refs } = await setup(3);
    sim.setTaskOutcome({ type: 'qmrollback', id: 102 }, { exitstatus: 'rbd rollback failed' });
    const boom = new Error('load test crashed');
    const err = await withSnapshots(
      pve,
      refs,
      'guarded',
      async () => {
        for (const vm of refs) await setMemory(pve, vm.vmid, '4096');
        throw boom;
      },
      FAST_POLL,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveSnapshotGuardError);
    const guard = err as PveSnapshotGuardError;
    expect(guard.cause).toBe(boom);
    expect(guard.failures.map((f) => [f.vm.vmid, f.step])).toEqual([[102, 'rollback']]);
    expect(guard.message).toMatch(/rollback of VM 102: .*rbd rollback failed/);
    for (const vmid of [101, 103]) {
      expect(sim.vm(vmid)?.config.memory).toBe('2048');
      expect(await listSnapshots(pve, { node: 'pve', vmid })).toEqual([]);
    }
    // The failed VM keeps its snapshot for another try, locked and stopped as Proxmox leaves it.
    expect((await listSnapshots(pve, { node: 'pve', vmid: 102 })).map((s) => s.name)).toEqual(['guarded']);
    expect(sim.vm(102)).toMatchObject({ lock: 'rollback', status: 'stopped' });
  });

  it('does not run when a snapshot fails, and removes the snapshots it took', async () => {
    const { pve, sim, refs } = await setup(2);
    await createSnapshot(pve, refs[1]!, 'taken', FAST_POLL);
    let ran = false;
    const err = await withSnapshots(
      pve,
      refs,
      'taken',
      () => {
        ran = true;
      },
      FAST_POLL,
    ).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect((err as PveSnapshotGuardError).failures.map((f) => [f.vm.vmid, f.step, f.error.name])).toEqual([
      [102, 'snapshot', 'PveSnapshotExistsError'],
    ]);
    expect(await listSnapshots(pve, refs[0]!)).toEqual([]);
    expect((await listSnapshots(pve, refs[1]!)).map((s) => s.name)).toEqual(['taken']);
    expect(sim.vm(101)?.lock).toBeUndefined();
  });

  it('resumes a VM snapshotted with RAM, and leaves a stopped VM stopped', async () => {
    const { pve, sim, refs } = await setup(1, 'stopped');
    sim.addVm({ vmid: 150, node: 'pve', status: 'stopped' });
    await startVm(pve, { node: 'pve', vmid: 150 }, FAST_POLL);
    await withSnapshots(pve, [...refs, { node: 'pve', vmid: 150 }], 'ram', () => {}, {
      vmstate: true,
      restart: false,
      ...FAST_POLL,
    });
    expect(sim.vm(101)?.status).toBe('stopped');
    expect(sim.vm(150)?.status).toBe('running');
  });
});
