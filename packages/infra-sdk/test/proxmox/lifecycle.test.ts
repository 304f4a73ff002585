import { afterEach, describe, expect, it } from 'vitest';
import {
  cloneVm,
  clusterResources,
  configureCloudInit,
  convertToTemplate,
  decodeSshKeys,
  encodeSshKeys,
  PveApiError,
  PveInvalidParamsError,
  PveLockTimeoutError,
  PveTaskFailedError,
  PveVmidConflictError,
  resizeDisk,
  shutdownVm,
  startVm,
  stopVm,
  vmStatus,
  waitForTask,
  waitForUnlock,
  withFreshVmid,
} from '../../src/index.js';
import { FAST_POLL, simWithClient, TEMPLATE } from './fixtures.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});
async function setup(...args: Parameters<typeof simWithClient>) {
  const s = await simWithClient(...args);
  cleanup.push(s.close);
  return s;
}

describe('clone', () => {
  it('makes a linked clone of a template by default and a full one when asked', async () => {
    const { pve, sim } = await setup();
    const linked = await cloneVm(pve, { node: 'pve', template: TEMPLATE, name: 'game-1', ...FAST_POLL });
    expect(linked).toMatchObject({
      node: 'pve',
      vmid: 100,
      adopted: false,
      task: { exitStatus: 'OK', warnings: 0 },
    });
    expect(sim.vm(100)?.config.scsi0).toMatch(/^local-lvm:base-9000-disk-0\/vm-100-disk-0,/);
    const full = await cloneVm(pve, {
      node: 'pve',
      template: TEMPLATE,
      name: 'game-2',
      full: true,
      ...FAST_POLL,
    });
    expect(full.vmid).toBe(101);
    expect(sim.vm(101)?.config.scsi0).toMatch(/^local-lvm:vm-101-disk-0,/);
    // The clone token is removed again; a given description is kept.
    expect(sim.vm(100)?.config.description).toBeUndefined();
    const described = await cloneVm(pve, {
      node: 'pve',
      template: TEMPLATE,
      newid: 300,
      description: 'fleet',
      ...FAST_POLL,
    });
    expect(described.vmid).toBe(300);
    expect(sim.vm(300)?.config.description).toBe('fleet');
  });

  it('claims distinct VMIDs for concurrent clones', async () => {
    const { pve } = await setup();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        cloneVm(pve, { node: 'pve', template: TEMPLATE, name: `game-${i}`, ...FAST_POLL }),
      ),
    );
    expect(results.map((r) => r.vmid).sort()).toEqual([100, 101, 102, 103, 104]);
  });

  it('moves on to another VMID when another creator takes the claimed one first', async () => {
    const { pve, sim } = await setup();
    const seen: number[] = [];
    const vmid = await withFreshVmid(pve, async (id) => {
      seen.push(id);
      // Someone else creates this VMID between the check and our create.
      if (seen.length === 1) sim.addVm({ vmid: id, name: 'intruder' });
      const r = await cloneVm(pve, { node: 'pve', template: TEMPLATE, newid: id, ...FAST_POLL });
      return r.vmid;
    });
    expect(seen).toEqual([100, 101]);
    expect(vmid).toBe(101);
    expect(sim.vm(100)?.config.name).toBe('intruder');
  });

  it("refuses a given newid that holds someone else's VM", async () => {
    const { pve, sim } = await setup();
    sim.addVm({ vmid: 500, name: 'theirs' });
    const err = await cloneVm(pve, { node: 'pve', template: TEMPLATE, newid: 500, ...FAST_POLL }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PveVmidConflictError);
    expect(sim.vm(500)?.config.name).toBe('theirs');
  });

  it('is idempotent when the answer to the clone is lost: the retry adopts its own VM', async () => {
    const { pve, sim } = await setup();
    sim.tasks.hold();
    sim.injectFault({ match: 'POST /nodes/{node}/qemu/{vmid}/clone', drop: true, afterHandling: true });
    const pending = cloneVm(pve, {
      node: 'pve',
      template: TEMPLATE,
      newid: 120,
      name: 'game-x',
      ...FAST_POLL,
    });
    // The retried POST found VM 120 (ours, still locked by the first clone): release that clone.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (
          sim.count('POST /nodes/{node}/qemu/{vmid}/clone') >= 2 &&
          sim.requests.some((r) => r.endpoint === 'GET /nodes/{node}/qemu/{vmid}/config')
        ) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    sim.tasks.hold(false);
    sim.tasks.release();
    const result = await pending;
    expect(result).toMatchObject({ vmid: 120, adopted: true });
    expect(result.task).toBeUndefined();
    expect(sim.vm(120)?.lock).toBeUndefined();
    expect(sim.vm(120)?.config.name).toBe('game-x');
    expect(sim.vm(120)?.config.description).toBeUndefined();
    expect([...sim.cluster.vms.keys()].sort()).toEqual([120, TEMPLATE]);
  });

  it('retries a clone answered 503 and makes exactly one VM', async () => {
    const { pve, sim } = await setup();
    sim.injectFault({
      match: 'POST /nodes/{node}/qemu/{vmid}/clone',
      status: 503,
      message: 'Service Unavailable',
      afterHandling: true,
    });
    const r = await cloneVm(pve, { node: 'pve', template: TEMPLATE, name: 'game-y', ...FAST_POLL });
    expect(r.adopted).toBe(true);
    expect([...sim.cluster.vms.keys()].sort()).toEqual([100, TEMPLATE]);
  });
});

describe('tasks', () => {
  it('counts WARNINGS: N as success', async () => {
    const { pve, sim } = await setup();
    sim.setTaskOutcome(
      { type: 'qmclone' },
      { exitstatus: 'WARNINGS: 2', log: ['WARN: no efidisk configured'] },
    );
    const r = await cloneVm(pve, { node: 'pve', template: TEMPLATE, ...FAST_POLL });
    expect(r.task).toMatchObject({ exitStatus: 'WARNINGS: 2', warnings: 2 });
    expect(sim.vm(r.vmid)?.lock).toBeUndefined();
  });

  it('fails with the task log when a task ends with an error', async () => {
    const { pve, sim } = await setup();
    sim.setTaskOutcome(
      { type: 'qmclone' },
      {
        exitstatus: "clone failed: storage 'local-lvm' is full",
        log: ['create full clone of drive scsi0', 'Logical volume allocation failed'],
      },
    );
    const err = await cloneVm(pve, {
      node: 'pve',
      template: TEMPLATE,
      newid: 130,
      full: true,
      ...FAST_POLL,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveTaskFailedError);
    const e = err as PveTaskFailedError;
    expect(e.code).toBe('LEV_ERR_PVE_TASK_FAILED');
    expect(e.exitStatus).toBe("clone failed: storage 'local-lvm' is full");
    expect(e.log).toContain('Logical volume allocation failed');
    expect(e.log.at(-1)).toBe("TASK ERROR: clone failed: storage 'local-lvm' is full");
    expect(sim.vm(130)).toBeUndefined(); // Proxmox removes a failed clone
  });

  it('times out waiting for a task that does not end', async () => {
    const { pve, sim } = await setup();
    sim.tasks.hold();
    const upid = await pve.call('POST /nodes/{node}/qemu/{vmid}/clone', {
      node: 'pve',
      vmid: TEMPLATE,
      newid: 140,
    });
    await expect(waitForTask(pve, upid, { ...FAST_POLL, timeoutMs: 60 })).rejects.toMatchObject({
      code: 'LEV_ERR_PVE_TIMEOUT',
    });
    await expect(
      waitForUnlock(pve, { node: 'pve', vmid: 140 }, { ...FAST_POLL, timeoutMs: 60 }),
    ).rejects.toBeInstanceOf(PveLockTimeoutError);
    sim.tasks.release();
    await waitForUnlock(pve, { node: 'pve', vmid: 140 }, FAST_POLL);
    expect(sim.vm(140)?.lock).toBeUndefined();
  });
});

describe('VM lifecycle', () => {
  it('cloud-init with double URL-encoded SSH keys, ipconfig and nameservers', async () => {
    const { pve, sim } = await setup();
    const { vmid } = await cloneVm(pve, { node: 'pve', template: TEMPLATE, ...FAST_POLL });
    const keys = [
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK+x/y=z ops@fleet',
      'ssh-rsa AAAAB3Nza+C1yc2E= other key',
    ];
    await configureCloudInit(
      pve,
      { node: 'pve', vmid },
      {
        user: 'leviathan',
        sshKeys: keys,
        ipconfig: [{ ip: '10.0.0.11/24', gw: '10.0.0.1' }, undefined, { ip: 'dhcp' }],
        nameservers: ['1.1.1.1', '9.9.9.9'],
        searchdomain: 'fleet.internal',
      },
    );
    const config = await pve.call('GET /nodes/{node}/qemu/{vmid}/config', { node: 'pve', vmid });
    expect(config.ciuser).toBe('leviathan');
    expect(config.ipconfig0).toBe('ip=10.0.0.11/24,gw=10.0.0.1');
    expect(config.ipconfig1).toBeUndefined();
    expect(config.ipconfig2).toBe('ip=dhcp');
    expect(config.nameserver).toBe('1.1.1.1 9.9.9.9');
    // Stored URL-encoded, as Proxmox does; spaces as %20, never '+'.
    expect(config.sshkeys).toBe(encodeSshKeys(keys));
    expect(String(config.sshkeys)).not.toMatch(/[ +]/);
    expect(decodeSshKeys(String(config.sshkeys))).toEqual(keys);
    expect(sim.vm(vmid)?.config.sshkeys).toContain('%20');
  });

  it('a key that is not URL-encoded first is refused, as by Proxmox', async () => {
    const { pve } = await setup();
    const err = await pve
      .call('PUT /nodes/{node}/qemu/{vmid}/config', {
        node: 'pve',
        vmid: TEMPLATE,
        sshkeys: 'ssh-ed25519 AAAA x@y',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveInvalidParamsError);
    expect((err as PveInvalidParamsError).paramErrors.sshkeys).toMatch(/invalid urlencoded string/);
  });

  it('resize, start, status, shutdown, stop, template', async () => {
    const { pve, sim } = await setup();
    const vm = await cloneVm(pve, { node: 'pve', template: TEMPLATE, full: true, ...FAST_POLL });
    await resizeDisk(pve, vm, 'scsi0', '+22G', FAST_POLL);
    expect(sim.vm(vm.vmid)?.config.scsi0).toMatch(/size=32G/);
    await resizeDisk(pve, vm, 'scsi0', '40G', FAST_POLL);
    expect(sim.vm(vm.vmid)?.config.scsi0).toMatch(/size=40G/);
    await expect(resizeDisk(pve, vm, 'scsi0', '1G', FAST_POLL)).rejects.toBeInstanceOf(PveApiError);

    await startVm(pve, vm, FAST_POLL);
    expect((await vmStatus(pve, vm)).status).toBe('running');
    await shutdownVm(pve, vm, { ...FAST_POLL, guestTimeoutS: 60, forceStop: true });
    expect((await vmStatus(pve, vm)).status).toBe('stopped');
    await startVm(pve, vm, FAST_POLL);
    await stopVm(pve, vm, FAST_POLL);
    expect((await vmStatus(pve, vm)).status).toBe('stopped');

    await convertToTemplate(pve, vm, FAST_POLL);
    expect(sim.vm(vm.vmid)?.template).toBe(true);
    await expect(startVm(pve, vm, FAST_POLL)).rejects.toThrow(/template/);
  });

  it('lists cluster resources by type', async () => {
    const { pve } = await setup({ nodes: ['pve', 'pve2'] });
    await cloneVm(pve, { node: 'pve', template: TEMPLATE, target: 'pve2', name: 'game-9', ...FAST_POLL });
    const vms = await clusterResources(pve, 'vm');
    expect(vms.map((r) => [r.vmid, r.node, r.name, r.template])).toEqual([
      [100, 'pve2', 'game-9', 0],
      [TEMPLATE, 'pve', 'ubuntu-2204-ci', 1],
    ]);
    const nodes = await clusterResources(pve, 'node');
    expect(nodes.map((n) => n.node)).toEqual(['pve', 'pve2']);
    expect((await clusterResources(pve)).length).toBe(6);
  });
});
