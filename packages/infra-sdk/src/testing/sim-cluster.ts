/** The simulated cluster: nodes, their storage and QEMU VMs, and the load figures status reads report. */

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
  /** What `GET /cluster/resources` reports while the VM runs; set with `SimCluster.setGuestLoad`. */
  load: SimGuestLoad;
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

/** A running guest's figures (pvestatd's, as `GET /cluster/resources` reports them). */
export interface SimGuestLoad {
  /** CPU use as a fraction of the guest's vCPUs, 0..1. */
  cpu: number;
  /** Memory in use, in bytes. */
  mem: number;
  /** Seconds since the guest started. */
  uptime: number;
}

/** A node's figures; an offline node reports only its last known sizes (PVE::API2Tools::extract_node_stats). */
export interface SimNodeLoad {
  online: boolean;
  /** CPU use as a fraction of all the node's CPUs, 0..1. */
  cpu: number;
  maxcpu: number;
  /** Memory in use and installed, in bytes. */
  mem: number;
  maxmem: number;
  /** Seconds since boot. */
  uptime: number;
}

/** One storage as one node sees it. */
export interface SimStorageUsage {
  readonly storage: string;
  /** Plugin type (`lvmthin`, `dir`, `rbd`, ...). */
  readonly type: string;
  readonly content: string;
  readonly shared: boolean;
  /** Used and total bytes. */
  used: number;
  total: number;
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

  /** Per node: its load and whether it is online (all online at start). */
  readonly nodeLoad = new Map<string, SimNodeLoad>();
  /** Per node: its storages, each node with `local-lvm` at start. */
  readonly storages = new Map<string, SimStorageUsage[]>();

  constructor(nodes: readonly string[]) {
    this.nodes = nodes;
    for (const node of nodes) {
      this.nodeLoad.set(node, {
        online: true,
        cpu: 0.05,
        maxcpu: 8,
        mem: 4 * 2 ** 30,
        maxmem: 32 * 2 ** 30,
        uptime: 86400,
      });
      this.storages.set(node, [
        {
          storage: this.storage,
          type: 'lvmthin',
          content: 'images,rootdir',
          shared: false,
          used: 20 * 2 ** 30,
          total: 500 * 2 ** 30,
        },
      ]);
    }
  }

  /** Sets a node's load figures (and `online`); the others keep their values. */
  setNodeLoad(node: string, load: Partial<SimNodeLoad>): void {
    this.requireNode(node);
    Object.assign(this.nodeLoad.get(node)!, load);
  }

  /** Takes a node out of the corosync membership (or back): status reads report it offline. */
  setNodeOnline(node: string, online: boolean): void {
    this.setNodeLoad(node, { online });
  }

  isOnline(node: string): boolean {
    return this.nodeLoad.get(node)?.online === true;
  }

  /** Sets a storage's used/total bytes on one node; adds the storage if the node lacks it. */
  setStorageUsage(
    node: string,
    storage: string,
    usage: Partial<Omit<SimStorageUsage, 'storage'>>,
  ): SimStorageUsage {
    this.requireNode(node);
    const list = this.storages.get(node)!;
    let entry = list.find((s) => s.storage === storage);
    if (!entry) {
      entry = { storage, type: 'dir', content: 'images', shared: false, used: 0, total: 0, ...usage };
      list.push(entry);
    } else Object.assign(entry, usage);
    return entry;
  }

  /** Sets a VM's load figures (reported while it runs). */
  setGuestLoad(vmid: number, load: Partial<SimGuestLoad>): void {
    const vm = this.vms.get(vmid);
    if (!vm) throw new Error(`no simulated VM ${vmid}`);
    Object.assign(vm.load, load);
  }

  /** Corosync's rule with one vote per node: quorate while more than half the nodes are online. */
  quorate(): boolean {
    return this.nodes.filter((n) => this.isOnline(n)).length * 2 > this.nodes.length;
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
      load: { cpu: 0.01, mem: 512 * 2 ** 20, uptime: 3600 },
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

  /**
   * `GET /cluster/resources` entries, shaped like PVE::API2Tools' extract_*_stats: an offline
   * node keeps only its sizes, its storages and guests have no fresh figures and read `unknown`.
   */
  resources(type: string | undefined): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    if (!type || type === 'node') {
      for (const node of this.nodes) out.push({ id: `node/${node}`, type: 'node', ...this.nodeEntry(node) });
    }
    if (!type || type === 'storage') {
      for (const node of this.nodes) {
        const online = this.isOnline(node);
        for (const s of this.storages.get(node) ?? []) {
          out.push({
            id: `storage/${node}/${s.storage}`,
            type: 'storage',
            node,
            storage: s.storage,
            plugintype: s.type,
            status: online ? 'available' : 'unknown',
            content: s.content,
            shared: s.shared ? 1 : 0,
            ...(online ? { maxdisk: s.total, disk: s.used } : {}),
          });
        }
      }
    }
    if (!type || type === 'vm') {
      for (const vm of [...this.vms.values()].sort((a, b) => a.vmid - b.vmid)) {
        const online = this.isOnline(vm.node);
        const running = online && vm.status === 'running';
        const entry: Record<string, unknown> = {
          id: `qemu/${vm.vmid}`,
          type: 'qemu',
          vmid: vm.vmid,
          node: vm.node,
          name: vm.config.name,
          status: online ? vm.status : 'unknown',
          template: vm.template ? 1 : 0,
          maxcpu: Number(vm.config.cores ?? 1),
          maxmem: memoryMiB(vm.config.memory) * 2 ** 20,
          maxdisk: diskBytes(String(vm.config.scsi0 ?? '')),
        };
        if (online) {
          entry.cpu = running ? vm.load.cpu : 0;
          entry.mem = running ? vm.load.mem : 0;
          entry.uptime = running ? vm.load.uptime : 0;
        }
        if (vm.config.tags !== undefined) entry.tags = vm.config.tags;
        if (vm.config.pool !== undefined) entry.pool = vm.config.pool;
        if (vm.lock) entry.lock = vm.lock;
        out.push(entry);
      }
    }
    return out;
  }

  /** A node as `GET /nodes` and `GET /cluster/resources` report it. */
  nodeEntry(node: string): Record<string, unknown> {
    const l = this.nodeLoad.get(node)!;
    return {
      node,
      status: l.online ? 'online' : 'offline',
      maxcpu: l.maxcpu,
      maxmem: l.maxmem,
      ...(l.online ? { cpu: l.cpu, mem: l.mem, uptime: l.uptime } : {}),
    };
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
