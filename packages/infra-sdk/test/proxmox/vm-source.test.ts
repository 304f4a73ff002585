import { afterEach, describe, expect, it } from 'vitest';
import { loadProxmoxInventory } from '../../src/ansible/index.js';
import { cloneVm, configureCloudInit, guestInterfaces, proxmoxVmSource, startVm } from '../../src/index.js';
import { FAST_POLL, simWithClient, TEMPLATE } from './fixtures.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

describe('proxmoxVmSource (the Proxmox side of the Ansible dynamic inventory)', () => {
  it('lists running VMs with tags, pool and the addresses their guest agent reports', async () => {
    const s = await simWithClient({ nodes: ['pve', 'pve2'] });
    cleanup.push(s.close);
    const { pve, sim } = s;
    const made = [];
    for (const [i, node] of ['pve', 'pve2', 'pve'].entries()) {
      const vm = await cloneVm(pve, {
        node: 'pve',
        template: TEMPLATE,
        target: node,
        name: `game-${i}`,
        ...FAST_POLL,
      });
      await pve.call('PUT /nodes/{node}/qemu/{vmid}/config', {
        node: vm.node,
        vmid: vm.vmid,
        agent: '1',
        tags: i < 2 ? 'leviathan;game' : 'other',
      });
      await configureCloudInit(pve, vm, { ipconfig: [{ ip: `10.77.0.${11 + i}/24`, gw: '10.77.0.1' }] });
      made.push(vm);
    }
    // Not started yet: the agent cannot answer.
    await expect(guestInterfaces(pve, made[0]!)).rejects.toThrow(/not running/);
    for (const vm of made.slice(0, 2)) await startVm(pve, vm, FAST_POLL);
    const ifaces = await guestInterfaces(pve, made[0]!);
    expect(ifaces.map((i) => i.name)).toEqual(['lo', 'eth0']);

    const vms = await proxmoxVmSource(pve).listVms();
    expect(vms.map((v) => [v.name, v.node, v.tags, v.ipAddresses])).toEqual([
      ['game-0', 'pve', ['leviathan', 'game'], ['127.0.0.1/8', '10.77.0.11/24']],
      ['game-1', 'pve2', ['leviathan', 'game'], ['127.0.0.1/8', '10.77.0.12/24']],
    ]);
    expect(sim.vm(made[2]!.vmid)?.status).toBe('stopped');

    const { inventory, skipped } = await loadProxmoxInventory(proxmoxVmSource(pve), { tags: ['leviathan'] });
    expect(skipped).toEqual([]);
    expect(inventory.hosts['game-0']).toMatchObject({ ansible_host: '10.77.0.11', proxmox_node: 'pve' });
    expect(inventory.hosts['game-1']).toMatchObject({ ansible_host: '10.77.0.12', proxmox_node: 'pve2' });
  });
});
