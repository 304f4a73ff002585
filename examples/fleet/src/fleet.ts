import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type AnsibleRunResult,
  type CloneResult,
  cloneVm,
  cloudInitParams,
  ENGINE_JOB_NAME,
  type EngineNode,
  engineTargetGroups,
  type FileSdTargetGroup,
  type Inventory,
  type IpConfig,
  loadProxmoxInventory,
  type PrometheusClient,
  type ProxmoxClient,
  proxmoxVmSource,
  resizeDisk,
  runPlaybook,
  selector,
  startVm,
  writeFileSdTargets,
} from '@leviathan/infra-sdk';

export interface FleetOptions {
  readonly pve: ProxmoxClient;
  readonly prometheus: PrometheusClient;
  /** Node that holds the template. */
  readonly node: string;
  /** VMID of the cloud-init template. */
  readonly template: number;
  /** VMs to make. */
  readonly count: number;
  /** VM names are `<prefix>-<i>`. @default 'game' */
  readonly namePrefix?: string;
  /** Full clones instead of linked ones. @default false */
  readonly full?: boolean;
  /** Tags given to the VMs; the inventory selects on them. @default ['leviathan'] */
  readonly tags?: readonly string[];
  readonly cloudInit: {
    readonly user: string;
    readonly sshKeys: readonly string[];
    readonly nameservers?: readonly string[];
    /** Address of VM number i (0-based) on net0. */
    readonly address: (i: number) => IpConfig;
  };
  /** Grow the first disk, e.g. '+10G'. */
  readonly growDisk?: `+${number}G`;
  /** The deploy playbook. */
  readonly playbook: string;
  /** Extra variables for the playbook. */
  readonly extraVars?: Readonly<Record<string, unknown>>;
  /** Variables added to every host (e.g. `ansible_connection`). */
  readonly hostVars?: Readonly<Record<string, unknown>>;
  /** SSH key Ansible logs in with. */
  readonly privateKey?: string;
  /** The file_sd file Prometheus watches for this fleet. */
  readonly fileSdPath: string;
  /** Engine metrics port on each VM. @default 8080 */
  readonly metricsPort?: number;
  /** Where Prometheus scrapes a host; default `<ansible_host>:<metricsPort>`. */
  readonly metricsTarget?: (host: string, address: string) => { host: string; port: number };
  /** How long to wait for guest agents and for the first scrapes, in milliseconds. @default 300_000 */
  readonly waitTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

export interface FleetResult {
  readonly vms: readonly CloneResult[];
  readonly inventory: Inventory;
  readonly deploy: AnsibleRunResult;
  readonly targets: readonly FileSdTargetGroup[];
  /** `up` per node as Prometheus sees it. */
  readonly health: Readonly<Record<string, boolean>>;
}

/** Polls `probe` until it returns a value, with a bounded number of tries and a deadline. */
async function poll<T>(
  what: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    signal?.throwIfAborted();
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() + delay > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(2000, Math.ceil(delay * 1.5));
  }
}

/**
 * Provisions a fleet: clone N VMs from a cloud-init template, configure and start them, wait for
 * their guest agents, build the Ansible inventory from Proxmox, run the deploy playbook, register
 * the nodes with Prometheus through file_sd and read back their `up` health.
 */
export async function runFleet(o: FleetOptions): Promise<FleetResult> {
  const log = o.log ?? (() => {});
  const prefix = o.namePrefix ?? 'game';
  const tags = o.tags ?? ['leviathan'];
  const waitMs = o.waitTimeoutMs ?? 300_000;
  const wait = { signal: o.signal, timeoutMs: waitMs };

  // 1. Clone: concurrently; the client's per-node limit keeps the node from being flooded, and
  //    each clone claims its own VMID.
  const vms = await Promise.all(
    Array.from({ length: o.count }, async (_, i) => {
      const name = `${prefix}-${i}`;
      const vm = await cloneVm(o.pve, {
        node: o.node,
        template: o.template,
        name,
        full: o.full ?? false,
        ...wait,
      });
      log(`cloned ${name} as VM ${vm.vmid} on ${vm.node}`);
      // 2. Cloud-init, tags and the guest agent in one config write.
      await o.pve.call(
        'PUT /nodes/{node}/qemu/{vmid}/config',
        {
          node: vm.node,
          vmid: vm.vmid,
          agent: '1',
          tags: tags.join(';'),
          ...cloudInitParams({
            user: o.cloudInit.user,
            sshKeys: o.cloudInit.sshKeys,
            ipconfig: [o.cloudInit.address(i)],
            ...(o.cloudInit.nameservers ? { nameservers: o.cloudInit.nameservers } : {}),
          }),
        },
        { signal: o.signal },
      );
      if (o.growDisk) await resizeDisk(o.pve, vm, 'scsi0', o.growDisk, wait);
      // 3. Start and wait for the start task.
      await startVm(o.pve, vm, wait);
      log(`started ${name}`);
      return vm;
    }),
  );

  // 4. Wait until every guest agent reports an address, then build the inventory from Proxmox.
  const source = proxmoxVmSource(o.pve);
  const { inventory } = await poll('the guest agents to report addresses', waitMs, o.signal, async () => {
    const r = await loadProxmoxInventory(source, {
      tags,
      group: 'leviathan',
      ...(o.hostVars ? { hostVars: () => o.hostVars! } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const ours = Object.keys(r.inventory.hosts).filter((h) => h.startsWith(`${prefix}-`));
    return ours.length >= o.count ? r : undefined;
  });
  log(`inventory: ${Object.keys(inventory.hosts).join(', ')}`);

  // 5. Deploy.
  const deploy = await runPlaybook({
    playbook: o.playbook,
    inventory,
    ...(o.extraVars ? { extraVars: o.extraVars } : {}),
    ...(o.privateKey ? { privateKey: o.privateKey } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    onProgress: (e) => {
      if (e.type === 'task-start') log(`ansible: ${e.task.name}`);
    },
  });
  log(`deployed: ${Object.keys(deploy.stats).length} hosts, changed=${deploy.changed}`);

  // 6. Register the nodes with Prometheus.
  const port = o.metricsPort ?? 8080;
  const nodes: EngineNode[] = Object.entries(inventory.hosts).map(([name, vars]) => {
    const address = String(vars.ansible_host);
    const target = o.metricsTarget?.(name, address) ?? { host: address, port };
    return {
      name,
      host: target.host,
      port: target.port,
      labels: { proxmox_vmid: String(vars.proxmox_vmid) },
    };
  });
  const targets = engineTargetGroups(nodes);
  await mkdir(dirname(o.fileSdPath), { recursive: true });
  await writeFileSdTargets(o.fileSdPath, targets);
  log(`registered ${targets.length} targets in ${o.fileSdPath}`);

  // 7. Health: `up` of every node, once Prometheus has scraped each of them.
  const query = selector('up', { job: ENGINE_JOB_NAME });
  const health = await poll('the first scrape of every node', waitMs, o.signal, async () => {
    const res = await o.prometheus.query(query, o.signal ? { signal: o.signal } : {});
    if (res.data.resultType !== 'vector') return undefined;
    const up: Record<string, boolean> = {};
    for (const s of res.data.result) {
      const node = s.metric.node;
      if (node) up[node] = s.value === 1;
    }
    return nodes.every((n) => n.name in up) ? up : undefined;
  });
  for (const [node, ok] of Object.entries(health)) log(`health ${node}: ${ok ? 'up' : 'DOWN'}`);
  return { vms, inventory, deploy, targets, health };
}
