import type { ProxmoxVmInfo, ProxmoxVmSource } from '../ansible/inventory/proxmox.js';
import type { ProxmoxClient } from './client.js';
import { PveApiError } from './errors.js';
import { clusterResources } from './vm-ops.js';

/** What `agent/network-get-interfaces` answers (qemu-guest-agent's `guest-network-get-interfaces`). */
export interface GuestInterface {
  readonly name: string;
  readonly 'hardware-address'?: string;
  readonly 'ip-addresses'?: ReadonlyArray<{
    'ip-address': string;
    'ip-address-type': 'ipv4' | 'ipv6';
    prefix: number;
  }>;
}

/** The guest's interfaces as its agent reports them; fails when the agent does not answer. */
export async function guestInterfaces(
  client: ProxmoxClient,
  vm: { readonly node: string; readonly vmid: number },
  opts: { signal?: AbortSignal } = {},
): Promise<GuestInterface[]> {
  const data = (await client.call(
    'GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces',
    { node: vm.node, vmid: vm.vmid },
    { signal: opts.signal, retry: false },
  )) as { result?: GuestInterface[] };
  return data.result ?? [];
}

export interface VmSourceOptions {
  /** Only running VMs (the only ones whose agent can answer). @default true */
  readonly runningOnly?: boolean;
  /** Also list templates. @default false */
  readonly includeTemplates?: boolean;
}

/**
 * The Proxmox side of the Ansible dynamic inventory: lists QEMU VMs from `/cluster/resources`
 * (name, node, tags, pool) and their addresses from the guest agent. A VM whose agent is not
 * answering yet is listed without addresses (the inventory reports it as skipped).
 */
export function proxmoxVmSource(client: ProxmoxClient, opts: VmSourceOptions = {}): ProxmoxVmSource {
  return {
    async listVms(options?: { readonly signal?: AbortSignal }): Promise<readonly ProxmoxVmInfo[]> {
      const signal = options?.signal;
      const resources = await clusterResources(client, 'vm', { signal });
      const vms = resources.filter(
        (r) =>
          r.type === 'qemu' &&
          r.vmid !== undefined &&
          r.node !== undefined &&
          (opts.includeTemplates || !r.template) &&
          (opts.runningOnly === false || r.status === 'running'),
      );
      return Promise.all(
        vms.map(async (r): Promise<ProxmoxVmInfo> => {
          let ipAddresses: string[] = [];
          if (r.status === 'running') {
            try {
              const ifaces = await guestInterfaces(client, { node: r.node!, vmid: r.vmid! }, { signal });
              ipAddresses = ifaces.flatMap((i) =>
                (i['ip-addresses'] ?? []).map((a) => `${a['ip-address']}/${a.prefix}`),
              );
            } catch (err) {
              if (!(err instanceof PveApiError)) throw err; // agent not (yet) running: no addresses
            }
          }
          return {
            name: r.name ?? `vm${r.vmid}`,
            vmid: r.vmid!,
            node: r.node!,
            tags: (r.tags ?? '').split(/[;,\s]+/).filter(Boolean),
            pool: r.pool,
            ipAddresses,
          };
        }),
      );
    },
  };
}
