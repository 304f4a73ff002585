/**
 * The simulator's status reads: what a monitoring client asks (node list, corosync membership and
 * quorum, a node's own status, its storages). Their figures come from `SimCluster`'s load state, so
 * a test sets a node's CPU, a storage's fill or a node's membership and reads them back here.
 * Shapes follow the schema's `returns` (test/proxmox/sim-status.test.ts checks them against it).
 */
import type { RouteContext } from './sim-routes.js';

type Route = (ctx: RouteContext) => unknown;

/** The simulated cluster's name, as `pvecm create` would have set it. */
const CLUSTER_NAME = 'leviathan-sim';

export const STATUS_ROUTES: Readonly<Record<string, Route>> = {
  'GET /nodes': (ctx) => ctx.cluster.nodes.map((node) => ctx.cluster.nodeEntry(node)),

  // pve-cluster's PVE::API2::ClusterConfig status: a `cluster` entry only on a cluster (a
  // standalone node answers with its own entry alone), then one entry per configured node.
  'GET /cluster/status': (ctx) => {
    const { nodes } = ctx.cluster;
    const out: Array<Record<string, unknown>> = [];
    if (nodes.length > 1) {
      out.push({
        id: 'cluster',
        type: 'cluster',
        name: CLUSTER_NAME,
        nodes: nodes.length,
        quorate: ctx.cluster.quorate() ? 1 : 0,
        version: nodes.length,
      });
    }
    nodes.forEach((name, i) => {
      out.push({
        id: `node/${name}`,
        type: 'node',
        name,
        nodeid: i + 1,
        ip: `10.0.0.${i + 1}`,
        online: ctx.cluster.isOnline(name) ? 1 : 0,
        local: i === 0 ? 1 : 0,
        level: '',
      });
    });
    return out;
  },

  // pve-manager's PVE::API2::Nodes status. Reaching an offline node is refused before this runs
  // (595, as pveproxy answers when it cannot proxy to the node).
  'GET /nodes/{node}/status': (ctx) => {
    const node = String(ctx.values.node);
    ctx.cluster.requireNode(node);
    const l = ctx.cluster.nodeLoad.get(node)!;
    const root = 100 * 2 ** 30;
    const rootUsed = 8 * 2 ** 30;
    return {
      cpu: l.cpu,
      wait: 0,
      idle: 0,
      uptime: l.uptime,
      loadavg: [l.cpu * l.maxcpu, l.cpu * l.maxcpu, l.cpu * l.maxcpu].map((x) => x.toFixed(2)),
      cpuinfo: { cores: l.maxcpu / 2, cpus: l.maxcpu, sockets: 1, model: 'Simulated CPU', mhz: '2400.000' },
      memory: { total: l.maxmem, used: l.mem, free: l.maxmem - l.mem, available: l.maxmem - l.mem },
      swap: { total: 0, used: 0, free: 0 },
      rootfs: { total: root, used: rootUsed, free: root - rootUsed, avail: root - rootUsed },
      pveversion: 'pve-manager/9.1.1/simulated',
      kversion: 'Linux 6.17.2-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 x86_64',
      'current-kernel': {
        sysname: 'Linux',
        release: '6.17.2-1-pve',
        version: '#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1',
        machine: 'x86_64',
      },
      'boot-info': { mode: 'efi', secureboot: 0 },
    };
  },

  // pve-storage's PVE::API2::Storage::Status index, with its `storage` and `content` filters.
  'GET /nodes/{node}/storage': (ctx) => {
    const node = String(ctx.values.node);
    ctx.cluster.requireNode(node);
    const only = ctx.values.storage === undefined ? undefined : String(ctx.values.storage);
    const content = ctx.values.content === undefined ? [] : String(ctx.values.content).split(',');
    return (ctx.cluster.storages.get(node) ?? [])
      .filter((s) => only === undefined || s.storage === only)
      .filter((s) => content.every((c) => s.content.split(',').includes(c)))
      .map((s) => ({
        storage: s.storage,
        type: s.type,
        content: s.content,
        active: 1,
        enabled: 1,
        shared: s.shared ? 1 : 0,
        total: s.total,
        used: s.used,
        avail: s.total - s.used,
        used_fraction: s.total > 0 ? s.used / s.total : 0,
      }));
  },
};
