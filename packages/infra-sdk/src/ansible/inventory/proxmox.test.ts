import { describe, expect, it } from 'vitest';
import { InventoryInvalidError } from '../errors.js';
import { buildProxmoxInventory, loadProxmoxInventory, type ProxmoxVmInfo } from './proxmox.js';

const vms: ProxmoxVmInfo[] = [
  {
    name: 'engine-1',
    vmid: 101,
    node: 'pve1',
    tags: ['leviathan', 'eu'],
    pool: 'game',
    ipAddresses: ['127.0.0.1', 'fe80::1', '10.0.0.11/24'],
  },
  {
    name: 'engine-2',
    vmid: 102,
    node: 'pve2',
    tags: ['leviathan'],
    pool: 'game',
    ipAddresses: ['2001:db8::2', '10.0.0.12'],
  },
  { name: 'engine-3', vmid: 103, node: 'pve2', tags: ['leviathan'], pool: 'game', ipAddresses: [] },
  { name: 'db-1', vmid: 201, node: 'pve1', tags: ['db'], pool: 'data', ipAddresses: ['10.0.1.5'] },
];

describe('buildProxmoxInventory', () => {
  it('selects by tag, sets ansible_host from the first usable address and groups by tag, pool and node', () => {
    const { inventory, skipped } = buildProxmoxInventory(vms, {
      tags: ['leviathan'],
      hostVars: (vm) => ({ engine_shard: vm.vmid - 100 }),
    });
    expect(Object.keys(inventory.hosts)).toEqual(['engine-1', 'engine-2']);
    expect(inventory.hosts['engine-1']).toEqual({
      ansible_host: '10.0.0.11',
      proxmox_vmid: 101,
      proxmox_node: 'pve1',
      proxmox_tags: ['leviathan', 'eu'],
      proxmox_pool: 'game',
      proxmox_ip_addresses: ['127.0.0.1', 'fe80::1', '10.0.0.11/24'],
      engine_shard: 1,
    });
    expect(inventory.groups.tag_leviathan?.hosts).toEqual(['engine-1', 'engine-2']);
    expect(inventory.groups.tag_eu?.hosts).toEqual(['engine-1']);
    expect(inventory.groups.node_pve2?.hosts).toEqual(['engine-2']);
    expect(inventory.groups.pool_game?.hosts).toEqual(['engine-1', 'engine-2']);
    expect(inventory.groups.proxmox?.hosts).toEqual(['engine-1', 'engine-2']);
    expect(skipped.map((s) => s.vm.vmid)).toEqual([103]);
  });

  it('selects by pool and prefers the address family asked for', () => {
    const { inventory } = buildProxmoxInventory(vms, { pool: 'game', addressFamily: 'prefer-ipv6' });
    expect(inventory.hosts['engine-2']?.ansible_host).toBe('2001:db8::2');
    expect(inventory.hosts['engine-1']?.ansible_host).toBe('10.0.0.11');
    expect(inventory.hosts['db-1']).toBeUndefined();
  });

  it('refuses two VMs under one host name', () => {
    expect(() => buildProxmoxInventory(vms, { hostName: () => 'same' })).toThrow(InventoryInvalidError);
  });

  it('loads the VM list from a source, passing the signal on', async () => {
    const signal = new AbortController().signal;
    let seen: AbortSignal | undefined;
    const { inventory } = await loadProxmoxInventory(
      {
        listVms: async (options) => {
          seen = options?.signal;
          return vms;
        },
      },
      { tags: ['db'], signal, groupBy: [] },
    );
    expect(seen).toBe(signal);
    expect(Object.keys(inventory.groups)).toEqual(['proxmox']);
    expect(inventory.hosts['db-1']?.ansible_host).toBe('10.0.1.5');
  });
});
