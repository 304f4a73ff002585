/**
 * Reads a Proxmox VE cluster's health in two calls, whatever its size: `GET /cluster/resources`
 * (every node, storage and guest with pvestatd's figures, from the cluster file system, so it
 * answers even while some nodes are down) and `GET /cluster/status` (corosync membership and
 * quorum). Per-node calls are avoided on purpose: pveproxy forwards them to the node, so one
 * offline node would stall a scrape until its connect timeout.
 */
import type { ProxmoxClient } from '../client.js';
import type { PveReturns } from '../types.js';

type Resource = PveReturns<'GET /cluster/resources'>[number];
type StatusEntry = PveReturns<'GET /cluster/status'>[number];

export interface PveNodeHealth {
  readonly node: string;
  /** In the corosync membership (on a cluster) or reporting `online` (standalone). */
  readonly online: boolean;
  /** CPU use as a fraction of all the node's CPUs, 0..1; absent while offline. */
  readonly cpu?: number;
  readonly cpus?: number;
  /** Memory in use and installed, in bytes; `memoryUsed` absent while offline. */
  readonly memoryUsed?: number;
  readonly memoryTotal?: number;
  /** Seconds since boot; absent while offline. */
  readonly uptime?: number;
}

export interface PveStorageHealth {
  readonly node: string;
  readonly storage: string;
  /** Plugin type (`lvmthin`, `rbd`, ...), when Proxmox reports it. */
  readonly type?: string;
  /** Status `available`: the node reports the storage active. */
  readonly available: boolean;
  readonly shared: boolean;
  /** Used and total bytes; absent when the node has no fresh figures (offline, inactive). */
  readonly used?: number;
  readonly size?: number;
}

export interface PveGuestHealth {
  readonly vmid: number;
  readonly name: string;
  readonly node: string;
  readonly type: 'qemu' | 'lxc';
  /** Proxmox's status: `running`, `stopped`, or `unknown` while its node is offline. */
  readonly status: string;
  readonly running: boolean;
  /** CPU use as a fraction of the guest's vCPUs, 0..1. */
  readonly cpu?: number;
  readonly cpus?: number;
  readonly memoryUsed?: number;
  readonly memoryTotal?: number;
  readonly uptime?: number;
}

export interface PveClusterHealth {
  readonly name: string;
  readonly quorate: boolean;
  /** Nodes configured in the cluster. */
  readonly nodes: number;
}

/** One reading of the cluster. */
export interface PveHealth {
  /** Absent on a standalone node (no `cluster` entry in `GET /cluster/status`). */
  readonly cluster: PveClusterHealth | undefined;
  readonly nodes: readonly PveNodeHealth[];
  readonly storages: readonly PveStorageHealth[];
  /** QEMU VMs and LXC containers; templates left out (they never run: disk images, not workloads). */
  readonly guests: readonly PveGuestHealth[];
}

export interface CollectPveHealthOptions {
  readonly signal?: AbortSignal;
  /**
   * Time limit of each of the two calls, retries included, in milliseconds.
   * @default the client's `timeoutMs`
   */
  readonly timeoutMs?: number;
}

const num = (v: number | undefined): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const bool = (v: unknown): boolean => v === 1 || v === true || v === '1';

/** Reads nodes, storages, guests and quorum through `client` (needs `Sys.Audit` on `/`, e.g. PVEAuditor). */
export async function collectPveHealth(
  client: ProxmoxClient,
  options: CollectPveHealthOptions = {},
): Promise<PveHealth> {
  const callOptions = { signal: options.signal, timeoutMs: options.timeoutMs };
  const [resources, status] = await Promise.all([
    client.call('GET /cluster/resources', {}, callOptions),
    client.call('GET /cluster/status', {}, callOptions),
  ]);
  return healthFrom(resources, status);
}

/** Builds the reading from the two answers (exported for tests of odd answers). */
export function healthFrom(resources: readonly Resource[], status: readonly StatusEntry[]): PveHealth {
  const clusterEntry = status.find((s) => s.type === 'cluster');
  // Membership is corosync's word on a cluster; a standalone node has no membership to consult.
  const member = new Map<string, boolean>();
  for (const s of status) if (s.type === 'node') member.set(s.name, bool(s.online));

  const nodes: PveNodeHealth[] = [];
  const storages: PveStorageHealth[] = [];
  const guests: PveGuestHealth[] = [];
  for (const r of resources) {
    if (r.type === 'node' && r.node) {
      const online = clusterEntry ? member.get(r.node) === true : r.status === 'online';
      nodes.push({
        node: r.node,
        online,
        ...(online ? { cpu: num(r.cpu), memoryUsed: num(r.mem), uptime: num(r.uptime) } : {}),
        cpus: num(r.maxcpu),
        memoryTotal: num(r.maxmem),
      });
    } else if (r.type === 'storage' && r.node && r.storage) {
      storages.push({
        node: r.node,
        storage: r.storage,
        type: r.plugintype,
        available: r.status === 'available',
        shared: bool(r.shared),
        used: num(r.disk),
        size: num(r.maxdisk),
      });
    } else if ((r.type === 'qemu' || r.type === 'lxc') && r.vmid !== undefined && !bool(r.template)) {
      const running = r.status === 'running';
      guests.push({
        vmid: r.vmid,
        name: r.name ?? '',
        node: r.node ?? '',
        type: r.type,
        status: r.status ?? 'unknown',
        running,
        cpu: num(r.cpu),
        cpus: num(r.maxcpu),
        memoryUsed: num(r.mem),
        memoryTotal: num(r.maxmem),
        uptime: num(r.uptime),
      });
    }
  }
  // A node corosync knows but /cluster/resources left out (no RRD data yet) still counts as down.
  for (const [node, online] of member) {
    if (!nodes.some((n) => n.node === node)) nodes.push({ node, online });
  }
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  nodes.sort((a, b) => byName(a.node, b.node));
  storages.sort((a, b) => byName(a.node, b.node) || byName(a.storage, b.storage));
  guests.sort((a, b) => a.vmid - b.vmid);
  return {
    cluster: clusterEntry
      ? {
          name: clusterEntry.name,
          quorate: bool(clusterEntry.quorate),
          nodes: num(clusterEntry.nodes) ?? member.size,
        }
      : undefined,
    nodes,
    storages,
    guests,
  };
}
