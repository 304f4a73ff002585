import { isIP } from 'node:net';
import { InventoryInvalidError } from '../errors.js';
import {
  type Inventory,
  InventoryBuilder,
  type InventoryVars,
  safeGroupName,
  validateInventory,
} from './inventory.js';

/**
 * What the dynamic inventory needs to know of a VM. Kept to this small shape so that any
 * source can feed it: the SDK's Proxmox client, a cached list, a test's literal.
 */
export interface ProxmoxVmInfo {
  readonly name: string;
  readonly vmid: number;
  readonly node: string;
  readonly tags: readonly string[];
  readonly pool?: string | undefined;
  /** Addresses as the guest agent reports them, with or without a `/prefix`. */
  readonly ipAddresses: readonly string[];
}

/** Lists VMs for loadProxmoxInventory. */
export interface ProxmoxVmSource {
  listVms(options?: { readonly signal?: AbortSignal }): Promise<readonly ProxmoxVmInfo[]>;
}

export type ProxmoxGroupBy = 'tags' | 'pool' | 'node';

export interface ProxmoxInventoryOptions {
  /** Keep only VMs that carry every one of these tags. */
  readonly tags?: readonly string[];
  /** Keep only VMs in this pool. */
  readonly pool?: string;
  /** Which address becomes `ansible_host`. @default 'prefer-ipv4' */
  readonly addressFamily?: 'ipv4' | 'ipv6' | 'prefer-ipv4' | 'prefer-ipv6';
  /** The inventory name of a VM. @default the VM's name */
  readonly hostName?: (vm: ProxmoxVmInfo) => string;
  /** More variables for a VM's host; they win over the `proxmox_*` ones. */
  readonly hostVars?: (vm: ProxmoxVmInfo) => InventoryVars;
  /** Groups made from VM fields: `tag_<tag>`, `pool_<pool>`, `node_<node>`. @default ['tags', 'pool', 'node'] */
  readonly groupBy?: readonly ProxmoxGroupBy[];
  /** A group holding every selected VM. @default 'proxmox' */
  readonly group?: string;
  /** Variables of `all`. */
  readonly vars?: InventoryVars;
}

export interface ProxmoxInventoryResult {
  readonly inventory: Inventory;
  /** VMs that matched but could not be added, and why (no usable address yet, for one). */
  readonly skipped: readonly { readonly vm: ProxmoxVmInfo; readonly reason: string }[];
}

function usableAddress(raw: string): { address: string; family: 4 | 6 } | undefined {
  const address = raw.split('/')[0]!.trim();
  const family = isIP(address);
  if (family === 4) {
    if (address.startsWith('127.') || address.startsWith('169.254.') || address === '0.0.0.0')
      return undefined;
    return { address, family: 4 };
  }
  if (family === 6) {
    const lower = address.toLowerCase();
    if (lower === '::1' || lower === '::' || /^fe[89ab]/.test(lower)) return undefined;
    return { address, family: 6 };
  }
  return undefined;
}

function pickAddress(
  vm: ProxmoxVmInfo,
  family: NonNullable<ProxmoxInventoryOptions['addressFamily']>,
): string | undefined {
  const usable = vm.ipAddresses.map(usableAddress).filter((a) => a !== undefined);
  const v4 = usable.find((a) => a.family === 4)?.address;
  const v6 = usable.find((a) => a.family === 6)?.address;
  switch (family) {
    case 'ipv4':
      return v4;
    case 'ipv6':
      return v6;
    case 'prefer-ipv6':
      return v6 ?? v4;
    default:
      return v4 ?? v6;
  }
}

/**
 * Builds an inventory from a VM list: VMs selected by tags and pool, `ansible_host` from the
 * guest's first usable address (loopback and link-local skipped), `proxmox_*` host variables,
 * and groups by tag, pool and node. Two VMs with one inventory name are an error: running a
 * deploy against the wrong one of them is worse than not running it.
 */
export function buildProxmoxInventory(
  vms: readonly ProxmoxVmInfo[],
  options: ProxmoxInventoryOptions = {},
): ProxmoxInventoryResult {
  const inv = new InventoryBuilder();
  const skipped: { vm: ProxmoxVmInfo; reason: string }[] = [];
  const seen = new Map<string, number>();
  const groupBy = new Set(options.groupBy ?? ['tags', 'pool', 'node']);
  const mainGroup = options.group ?? 'proxmox';
  inv.group(mainGroup);
  if (options.vars) inv.group('all', options.vars);
  for (const vm of vms) {
    if (options.tags && !options.tags.every((t) => vm.tags.includes(t))) continue;
    if (options.pool !== undefined && vm.pool !== options.pool) continue;
    const address = pickAddress(vm, options.addressFamily ?? 'prefer-ipv4');
    if (address === undefined) {
      skipped.push({ vm, reason: 'no usable IP address (is the guest agent running?)' });
      continue;
    }
    const name = options.hostName?.(vm) ?? vm.name;
    const other = seen.get(name);
    if (other !== undefined) {
      throw new InventoryInvalidError(`VMs ${other} and ${vm.vmid} both map to host name ${name}`);
    }
    seen.set(name, vm.vmid);
    const groups = [mainGroup];
    if (groupBy.has('tags')) groups.push(...vm.tags.map((t) => safeGroupName(`tag_${t}`)));
    if (groupBy.has('pool') && vm.pool) groups.push(safeGroupName(`pool_${vm.pool}`));
    if (groupBy.has('node')) groups.push(safeGroupName(`node_${vm.node}`));
    inv.host(
      name,
      {
        ansible_host: address,
        proxmox_vmid: vm.vmid,
        proxmox_node: vm.node,
        proxmox_tags: [...vm.tags],
        ...(vm.pool ? { proxmox_pool: vm.pool } : {}),
        proxmox_ip_addresses: [...vm.ipAddresses],
        ...options.hostVars?.(vm),
      },
      groups,
    );
  }
  const inventory = inv.build();
  validateInventory(inventory);
  return { inventory, skipped };
}

/** Lists the VMs from a source and builds their inventory. */
export async function loadProxmoxInventory(
  source: ProxmoxVmSource,
  options: ProxmoxInventoryOptions & { readonly signal?: AbortSignal } = {},
): Promise<ProxmoxInventoryResult> {
  const vms = await source.listVms(options.signal ? { signal: options.signal } : undefined);
  return buildProxmoxInventory(vms, options);
}
