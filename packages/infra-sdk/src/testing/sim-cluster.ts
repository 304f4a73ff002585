/** The simulated cluster: nodes and their QEMU VMs. */

export interface SimVm {
  readonly vmid: number;
  node: string;
  status: 'running' | 'stopped';
  template: boolean;
  /** The VM's config as `GET .../config` answers it (strings, as Proxmox stores them). */
  config: Record<string, string | number>;
  /** Current config lock (`clone`, `create`, ...), if any. */
  lock: string | undefined;
  /** The VM's snapshots by name (the `[snapname]` sections of its config file). */
  readonly snapshots: Map<string, SimSnapshot>;
}

/** A snapshot as qemu-server keeps it: a copy of the config plus its own metadata. */
export interface SimSnapshot {
  readonly name: string;
  /** The snapshot it was taken on top of (the VM's `parent` then); re-pointed when that one is deleted. */
  parent: string | undefined;
  /** Unix time, in seconds. */
  readonly snaptime: number;
  description: string;
  /** The RAM state volume, when it was taken of a running VM with `vmstate`. */
  readonly vmstate: string | undefined;
  /** `prepare` while it is being taken, `delete` from a delete that failed; unset when complete. */
  snapstate: 'prepare' | 'delete' | undefined;
  /** The VM's config when it was taken, without `parent` and the keys a snapshot never holds. */
  readonly config: Record<string, string | number>;
}

export interface SimVmSeed {
  readonly vmid: number;
  readonly node?: string;
  readonly name?: string;
  readonly template?: boolean;
  readonly status?: 'running' | 'stopped';
  readonly config?: Record<string, string | number>;
}

/** An HTTP answer that is an error: status, reason phrase and optional per-parameter errors. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

export class SimCluster {
  readonly nodes: readonly string[];
  readonly vms = new Map<number, SimVm>();
  /** Storage every simulated node has. */
  readonly storage = 'local-lvm';

  constructor(nodes: readonly string[]) {
    this.nodes = nodes;
  }

  addVm(seed: SimVmSeed): SimVm {
    const node = seed.node ?? this.nodes[0]!;
    const config: Record<string, string | number> = {
      name: seed.name ?? `vm${seed.vmid}`,
      memory: '2048', // a property string since PVE 8.1 (`[current=]<MiB>`)
      cores: 2,
      scsihw: 'virtio-scsi-pci',
      scsi0: `${this.storage}:vm-${seed.vmid}-disk-0,size=10G`,
      net0: 'virtio=BC:24:11:00:00:01,bridge=vmbr0',
      ...seed.config,
    };
    if (seed.template) config.template = 1;
    const vm: SimVm = {
      vmid: seed.vmid,
      node,
      status: seed.status ?? 'stopped',
      template: !!seed.template,
      config,
      lock: undefined,
      snapshots: new Map(),
    };
    this.vms.set(seed.vmid, vm);
    return vm;
  }

  requireNode(node: string): void {
    if (!this.nodes.includes(node)) throw new SimHttpError(595, `no such node '${node}'`);
  }

  /** The VM on that node, or Proxmox's error for a config file that is not there. */
  requireVm(node: string, vmid: number): SimVm {
    this.requireNode(node);
    const vm = this.vms.get(vmid);
    if (!vm || vm.node !== node) {
      throw new SimHttpError(
        500,
        `Configuration file 'nodes/${node}/qemu-server/${vmid}.conf' does not exist`,
      );
    }
    return vm;
  }

  /** PVE::AbstractConfig::check_lock. */
  checkUnlocked(vm: SimVm): void {
    if (vm.lock) throw new SimHttpError(500, `VM ${vm.vmid} is locked (${vm.lock})`);
  }

  /** PVE::Cluster::check_vmid_unused. */
  checkVmidUnused(vmid: number): void {
    const vm = this.vms.get(vmid);
    if (vm) throw new SimHttpError(500, `VM ${vmid} already exists on node '${vm.node}'`);
  }

  /** Lowest free VMID from 100, like `GET /cluster/nextid` with the default range. */
  nextId(): number {
    let id = 100;
    while (this.vms.has(id)) id++;
    return id;
  }

  /** `GET /cluster/resources` entries. */
  resources(type: string | undefined): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    if (!type || type === 'node') {
      for (const node of this.nodes) {
        out.push({
          id: `node/${node}`,
          type: 'node',
          node,
          status: 'online',
          maxcpu: 8,
          maxmem: 32 * 2 ** 30,
          cpu: 0.05,
          mem: 4 * 2 ** 30,
          uptime: 86400,
        });
      }
    }
    if (!type || type === 'storage') {
      for (const node of this.nodes) {
        out.push({
          id: `storage/${node}/${this.storage}`,
          type: 'storage',
          node,
          storage: this.storage,
          status: 'available',
          content: 'images,rootdir',
          maxdisk: 500 * 2 ** 30,
          disk: 20 * 2 ** 30,
          shared: 0,
        });
      }
    }
    if (!type || type === 'vm') {
      for (const vm of [...this.vms.values()].sort((a, b) => a.vmid - b.vmid)) {
        const entry: Record<string, unknown> = {
          id: `qemu/${vm.vmid}`,
          type: 'qemu',
          vmid: vm.vmid,
          node: vm.node,
          name: vm.config.name,
          status: vm.status,
          template: vm.template ? 1 : 0,
          maxcpu: Number(vm.config.cores ?? 1),
          maxmem: memoryMiB(vm.config.memory) * 2 ** 20,
          maxdisk: diskBytes(String(vm.config.scsi0 ?? '')),
          cpu: vm.status === 'running' ? 0.01 : 0,
          mem: 0,
          uptime: 0,
        };
        if (vm.config.tags !== undefined) entry.tags = vm.config.tags;
        if (vm.config.pool !== undefined) entry.pool = vm.config.pool;
        if (vm.lock) entry.lock = vm.lock;
        out.push(entry);
      }
    }
    return out;
  }
}

const UNIT: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** `size=10G` of a disk string, in bytes. */
export function diskBytes(disk: string): number {
  const m = /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT])?/.exec(disk);
  if (!m) return 0;
  return Math.round(Number(m[1]) * (m[2] ? UNIT[m[2]]! : 1));
}

/** Formats bytes the way Proxmox writes `size=`: the largest unit that divides evenly. */
export function formatSize(bytes: number): string {
  for (const u of ['T', 'G', 'M', 'K'] as const) if (bytes % UNIT[u]! === 0) return `${bytes / UNIT[u]!}${u}`;
  return String(bytes);
}

/** MiB of a `memory` setting (`2048` or `current=2048`); 512 when unset, as qemu-server. */
export function memoryMiB(memory: string | number | undefined): number {
  if (memory === undefined) return 512;
  const m = /(?:^|current=)(\d+)/.exec(String(memory));
  return m ? Number(m[1]) : 512;
}
