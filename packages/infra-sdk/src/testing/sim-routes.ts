import { randomBytes } from 'node:crypto';
import type { SimAuth } from './sim-auth.js';
import {
  diskBytes,
  formatSize,
  memoryMiB,
  type SimCluster,
  SimHttpError,
  type SimVm,
} from './sim-cluster.js';
import { SNAPSHOT_ROUTES } from './sim-snapshot-routes.js';
import { STATUS_ROUTES } from './sim-status-routes.js';
import type { SimTasks } from './sim-tasks.js';
import type { Values } from './validate.js';

export interface RouteContext {
  readonly values: Values;
  readonly user: string;
  readonly cluster: SimCluster;
  readonly tasks: SimTasks;
  readonly auth: SimAuth;
}

export type Route = (ctx: RouteContext) => unknown;

const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

function vmOf(ctx: RouteContext): SimVm {
  return ctx.cluster.requireVm(String(ctx.values.node), Number(ctx.values.vmid));
}

/** Applies config changes: `delete` removes keys; other keys are set as given. */
function applyConfig(vm: SimVm, values: Values): void {
  const skip = new Set(['node', 'vmid', 'digest', 'delete', 'revert', 'skiplock', 'background_delay']);
  for (const key of String(values.delete ?? '')
    .split(/[,;\s]+/)
    .filter(Boolean))
    delete vm.config[key];
  for (const [k, v] of Object.entries(values)) {
    if (skip.has(k)) continue;
    vm.config[k] = typeof v === 'boolean' ? (v ? 1 : 0) : Array.isArray(v) ? v.join(',') : v;
  }
}

function randomMac(): string {
  const b = randomBytes(3);
  return `BC:24:11:${[...b].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(':')}`;
}

/** The endpoints the simulator implements, keyed like the SDK's `PveApi`. */
export const ROUTES: Readonly<Record<string, Route>> = {
  ...SNAPSHOT_ROUTES,
  ...STATUS_ROUTES,
  'GET /version': () => ({ version: '9.1.1', release: '9.1', repoid: 'simulated' }),

  'POST /access/ticket': (ctx) => {
    const grant = ctx.auth.login(
      String(ctx.values.username),
      String(ctx.values.password),
      str(ctx.values.realm),
    );
    if (!grant) throw new SimHttpError(401, 'authentication failure');
    return grant;
  },

  'GET /cluster/nextid': (ctx) => {
    if (ctx.values.vmid !== undefined) {
      const vmid = Number(ctx.values.vmid);
      if (ctx.cluster.vms.has(vmid))
        throw new SimHttpError(400, 'Parameter verification failed.', { vmid: `VM ${vmid} already exists` });
      return vmid;
    }
    return ctx.cluster.nextId();
  },

  'GET /cluster/resources': (ctx) => ctx.cluster.resources(str(ctx.values.type)),

  'GET /nodes/{node}/qemu': (ctx) => {
    const node = String(ctx.values.node);
    ctx.cluster.requireNode(node);
    return [...ctx.cluster.vms.values()]
      .filter((vm) => vm.node === node)
      .map((vm) => ({
        vmid: vm.vmid,
        name: vm.config.name,
        status: vm.status,
        template: vm.template ? 1 : 0,
        ...(vm.lock ? { lock: vm.lock } : {}),
      }));
  },

  'POST /nodes/{node}/qemu': (ctx) => {
    const node = String(ctx.values.node);
    ctx.cluster.requireNode(node);
    const vmid = Number(ctx.values.vmid);
    ctx.cluster.checkVmidUnused(vmid);
    const vm = ctx.cluster.addVm({ vmid, node, config: {} });
    vm.config = {};
    applyConfig(vm, ctx.values);
    vm.lock = 'create';
    const task = ctx.tasks.start(node, 'qmcreate', String(vmid), ctx.user, (ok) => {
      if (ok) vm.lock = undefined;
      else ctx.cluster.vms.delete(vmid);
    });
    return task.upid;
  },

  'DELETE /nodes/{node}/qemu/{vmid}': (ctx) => {
    const vm = vmOf(ctx);
    ctx.cluster.checkUnlocked(vm);
    if (vm.status === 'running') throw new SimHttpError(500, `VM ${vm.vmid} is running - destroy failed`);
    vm.lock = 'destroyed';
    return ctx.tasks.start(vm.node, 'qmdestroy', String(vm.vmid), ctx.user, (ok) => {
      if (ok) ctx.cluster.vms.delete(vm.vmid);
      else vm.lock = undefined;
    }).upid;
  },

  'GET /nodes/{node}/qemu/{vmid}/config': (ctx) => {
    const vm = vmOf(ctx);
    const config: Record<string, unknown> = { ...vm.config, digest: 'simulated' };
    if (vm.lock) config.lock = vm.lock;
    return config;
  },

  'PUT /nodes/{node}/qemu/{vmid}/config': (ctx) => {
    const vm = vmOf(ctx);
    if (!ctx.values.skiplock) ctx.cluster.checkUnlocked(vm);
    applyConfig(vm, ctx.values);
    return null;
  },

  'POST /nodes/{node}/qemu/{vmid}/config': (ctx) => {
    const vm = vmOf(ctx);
    if (!ctx.values.skiplock) ctx.cluster.checkUnlocked(vm);
    applyConfig(vm, ctx.values);
    return ctx.tasks.start(vm.node, 'qmconfig', String(vm.vmid), ctx.user, () => {}).upid;
  },

  'GET /nodes/{node}/qemu/{vmid}/status/current': (ctx) => {
    const vm = vmOf(ctx);
    return {
      vmid: vm.vmid,
      name: vm.config.name,
      status: vm.status,
      qmpstatus: vm.status,
      cpus: Number(vm.config.cores ?? 1),
      maxmem: memoryMiB(vm.config.memory) * 2 ** 20,
      maxdisk: diskBytes(String(vm.config.scsi0 ?? '')),
      uptime: 0,
      ha: { managed: 0 },
      ...(vm.template ? { template: 1 } : {}),
      ...(vm.lock ? { lock: vm.lock } : {}),
    };
  },

  'POST /nodes/{node}/qemu/{vmid}/status/start': (ctx) => power(ctx, 'qmstart', 'running'),
  'POST /nodes/{node}/qemu/{vmid}/status/stop': (ctx) => power(ctx, 'qmstop', 'stopped'),
  'POST /nodes/{node}/qemu/{vmid}/status/shutdown': (ctx) => power(ctx, 'qmshutdown', 'stopped'),
  'POST /nodes/{node}/qemu/{vmid}/status/reboot': (ctx) => power(ctx, 'qmreboot', 'running'),

  'POST /nodes/{node}/qemu/{vmid}/clone': (ctx) => {
    const source = vmOf(ctx);
    const newid = Number(ctx.values.newid);
    ctx.cluster.checkVmidUnused(newid);
    const target = str(ctx.values.target) ?? source.node;
    ctx.cluster.requireNode(target);
    const full = ctx.values.full === undefined ? !source.template : ctx.values.full === true;
    if (!full && !source.template)
      throw new SimHttpError(500, "linked clone feature is not supported for drive 'scsi0'");
    if (!source.template) ctx.cluster.checkUnlocked(source);
    // qemu-server writes the new config (name, description, lock: clone) before it copies disks.
    const config: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(source.config)) {
      if (k === 'template' || k === 'parent') continue; // qemu-server clones no snapshot tree
      if (
        /^(scsi|virtio|sata|ide|efidisk|tpmstate)\d+$/.test(k) &&
        typeof v === 'string' &&
        !v.includes('media=cdrom')
      ) {
        const disk = k.replace(/^(\D+)(\d+)$/, '$2');
        config[k] = v.replace(
          /^[^,]+/,
          `${ctx.values.storage ?? ctx.cluster.storage}:${full ? '' : `base-${source.vmid}-disk-${disk}/`}vm-${newid}-disk-${disk}`,
        );
      } else if (/^net\d+$/.test(k) && typeof v === 'string') {
        config[k] = v.replace(/=([0-9A-F]{2}:){5}[0-9A-F]{2}/, `=${randomMac()}`);
      } else config[k] = v;
    }
    config.name = str(ctx.values.name) ?? `Copy-of-VM-${source.config.name}`;
    if (ctx.values.description !== undefined) config.description = String(ctx.values.description);
    else delete config.description;
    if (ctx.values.pool !== undefined) config.pool = String(ctx.values.pool);
    const vm = ctx.cluster.addVm({ vmid: newid, node: target, config });
    vm.config = config;
    vm.lock = 'clone';
    const task = ctx.tasks.start(source.node, 'qmclone', String(source.vmid), ctx.user, (ok) => {
      if (ok) vm.lock = undefined;
      else ctx.cluster.vms.delete(newid); // a failed clone is destroyed again
    });
    for (const [k, v] of Object.entries(config)) {
      if (/^(scsi|virtio|sata|ide)\d+$/.test(k) && typeof v === 'string' && !v.includes('media=cdrom')) {
        task.log.push(`create ${full ? 'full' : 'linked'} clone of drive ${k} (${source.config[k]})`);
      }
    }
    return task.upid;
  },

  'POST /nodes/{node}/qemu/{vmid}/template': (ctx) => {
    const vm = vmOf(ctx);
    ctx.cluster.checkUnlocked(vm);
    if (vm.status === 'running')
      throw new SimHttpError(500, "you can't convert a VM to template if VM is running");
    if (vm.template) throw new SimHttpError(500, 'VM is already a template');
    vm.lock = 'template';
    return ctx.tasks.start(vm.node, 'qmtemplate', String(vm.vmid), ctx.user, (ok) => {
      vm.lock = undefined;
      if (ok) {
        vm.template = true;
        vm.config.template = 1;
      }
    }).upid;
  },

  'PUT /nodes/{node}/qemu/{vmid}/resize': (ctx) => {
    const vm = vmOf(ctx);
    ctx.cluster.checkUnlocked(vm);
    const disk = String(ctx.values.disk);
    const current = vm.config[disk];
    if (typeof current !== 'string') throw new SimHttpError(500, `disk '${disk}' does not exist`);
    const m = /^(\+)?(\d+(?:\.\d+)?)([KMGT])?$/.exec(String(ctx.values.size))!;
    const amount = diskBytes(`size=${m[2]}${m[3] ?? ''}`);
    const now = diskBytes(current);
    const next = m[1] ? now + amount : amount;
    if (next < now) throw new SimHttpError(500, 'shrinking disks is not supported');
    return ctx.tasks.start(vm.node, 'resize', String(vm.vmid), ctx.user, (ok) => {
      if (ok)
        vm.config[disk] = current.includes('size=')
          ? current.replace(/size=[^,]+/, `size=${formatSize(next)}`)
          : `${current},size=${formatSize(next)}`;
    }).upid;
  },

  'GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces': (ctx) => {
    const vm = vmOf(ctx);
    if (vm.status !== 'running') throw new SimHttpError(500, `VM ${vm.vmid} is not running`);
    if (!/^(1|enabled=1)(,|$)/.test(String(vm.config.agent ?? ''))) {
      throw new SimHttpError(500, 'No QEMU guest agent configured');
    }
    // The guest reports what cloud-init configured: static addresses as given, DHCP as a lease.
    const result: Array<Record<string, unknown>> = [
      {
        name: 'lo',
        'hardware-address': '00:00:00:00:00:00',
        'ip-addresses': [{ 'ip-address': '127.0.0.1', 'ip-address-type': 'ipv4', prefix: 8 }],
      },
    ];
    for (let i = 0; i < 32; i++) {
      const net = vm.config[`net${i}`];
      if (typeof net !== 'string') continue;
      const ipconfig = String(vm.config[`ipconfig${i}`] ?? 'ip=dhcp');
      const ip = /(?:^|,)ip=([^,]+)/.exec(ipconfig)?.[1] ?? 'dhcp';
      const [address, prefix] =
        ip === 'dhcp' ? [`10.${i}.${(vm.vmid >> 8) & 255}.${vm.vmid & 255}`, '24'] : ip.split('/');
      const mac = /=([0-9A-F:]{17})/i.exec(net)?.[1] ?? '';
      result.push({
        name: `eth${i}`,
        'hardware-address': mac.toLowerCase(),
        'ip-addresses': [
          {
            'ip-address': address,
            'ip-address-type': address?.includes(':') ? 'ipv6' : 'ipv4',
            prefix: Number(prefix ?? 24),
          },
        ],
      });
    }
    return { result };
  },

  'GET /nodes/{node}/tasks/{upid}/status': (ctx) => {
    const task = ctx.tasks.get(String(ctx.values.upid));
    if (!task || task.node !== ctx.values.node) throw new SimHttpError(500, `no such task`);
    return {
      upid: task.upid,
      node: task.node,
      pid: Number.parseInt(task.upid.split(':')[2]!, 16),
      pstart: Number.parseInt(task.upid.split(':')[3]!, 16),
      starttime: task.starttime,
      type: task.type,
      id: task.id,
      user: task.user,
      status: task.status,
      ...(task.exitstatus !== undefined ? { exitstatus: task.exitstatus } : {}),
    };
  },

  'GET /nodes/{node}/tasks/{upid}/log': (ctx) => {
    const task = ctx.tasks.get(String(ctx.values.upid));
    if (!task || task.node !== ctx.values.node) throw new SimHttpError(500, `no such task`);
    const start = Number(ctx.values.start ?? 0);
    const limit = Number(ctx.values.limit ?? 50);
    return task.log.slice(start, start + limit).map((t, i) => ({ n: start + i + 1, t }));
  },
};

function power(ctx: RouteContext, type: string, after: 'running' | 'stopped'): string {
  const vm = vmOf(ctx);
  if (!ctx.values.skiplock) ctx.cluster.checkUnlocked(vm);
  if (vm.template && type === 'qmstart')
    throw new SimHttpError(500, "you can't start a vm if it's a template");
  if (type === 'qmstart' && vm.status === 'running')
    throw new SimHttpError(500, `VM ${vm.vmid} already running`);
  return ctx.tasks.start(vm.node, type, String(vm.vmid), ctx.user, (ok) => {
    if (ok) vm.status = after;
  }).upid;
}
