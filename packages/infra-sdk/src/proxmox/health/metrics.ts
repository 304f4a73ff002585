/**
 * Renders a Proxmox health reading in the Prometheus text exposition format, with prom-client (the
 * engine's metrics library, so escaping and format follow one implementation across the repo).
 *
 * Names follow prometheus-pve-exporter where its meaning is the same (`pve_up` for node online,
 * guest running, storage available; `_ratio` for CPU fractions, `_bytes` and `_seconds` units), but
 * each kind of resource has its own metrics with readable labels (`node`, `storage`, `vmid`, `name`)
 * instead of one `id` label plus info metrics to join, so that alerts and panels need no joins.
 * Every reading goes into a fresh registry: a deleted guest or storage disappears from the next
 * scrape instead of lingering with its last value.
 */
import { Gauge, Registry } from 'prom-client';
import type { PveHealth } from './collect.js';

/** Content type of the text exposition format (0.0.4), what Prometheus asks for by default. */
export const PVE_METRICS_CONTENT_TYPE: string = Registry.PROMETHEUS_CONTENT_TYPE;

/** One scrape: the reading (undefined when it failed) and how long it took. */
export interface PveScrape {
  readonly health: PveHealth | undefined;
  readonly durationSeconds: number;
}

/** Name, help and labels of every metric, in the order they are exposed (docs/infra-sdk.md lists them). */
/** The labels of every guest series: one set, so that they join (and stay alike) in queries. */
const GUEST_LABELS = ['vmid', 'name', 'node', 'type'] as const;
/** The labels of every storage series (a storage as one node sees it). */
const STORAGE_LABELS = ['node', 'storage'] as const;

export const PVE_METRICS = {
  scrapeSuccess: [
    'pve_scrape_success',
    'Whether the last read of the Proxmox API succeeded (1) or failed (0).',
    [],
  ],
  scrapeDuration: ['pve_scrape_duration_seconds', 'How long reading the Proxmox API took, in seconds.', []],
  up: [
    'pve_up',
    'Whether a resource is up: node online, guest running, storage available.',
    ['id', 'type', 'node'],
  ],
  clusterQuorate: [
    'pve_cluster_quorate',
    'Whether the cluster has quorum (absent on a standalone node).',
    ['cluster'],
  ],
  clusterNodes: ['pve_cluster_nodes', 'Nodes configured in the cluster.', ['cluster']],
  nodeCpu: ['pve_node_cpu_ratio', 'CPU use of a node as a fraction of all its CPUs.', ['node']],
  nodeCpus: ['pve_node_cpus', 'CPUs (threads) of a node.', ['node']],
  nodeMemUsed: ['pve_node_memory_used_bytes', 'Memory in use on a node.', ['node']],
  nodeMemTotal: ['pve_node_memory_total_bytes', 'Memory installed in a node.', ['node']],
  nodeUptime: ['pve_node_uptime_seconds', 'Seconds since a node booted.', ['node']],
  storageUsed: ['pve_storage_used_bytes', 'Bytes used on a storage, as one node sees it.', STORAGE_LABELS],
  storageSize: ['pve_storage_size_bytes', 'Size of a storage, as one node sees it.', STORAGE_LABELS],
  storageShared: ['pve_storage_shared', 'Whether a storage is shared between nodes.', STORAGE_LABELS],
  guestRunning: ['pve_guest_running', 'Whether a guest (VM or container) is running.', GUEST_LABELS],
  guestCpu: ['pve_guest_cpu_ratio', 'CPU use of a guest as a fraction of its vCPUs.', GUEST_LABELS],
  guestCpus: ['pve_guest_cpus', 'vCPUs of a guest.', GUEST_LABELS],
  guestMemUsed: ['pve_guest_memory_bytes', 'Memory a guest uses.', GUEST_LABELS],
  guestMemTotal: ['pve_guest_memory_total_bytes', 'Memory configured for a guest.', GUEST_LABELS],
  guestUptime: ['pve_guest_uptime_seconds', 'Seconds since a guest started (0 when stopped).', GUEST_LABELS],
} as const satisfies Record<string, readonly [string, string, readonly string[]]>;

type MetricKey = keyof typeof PVE_METRICS;

/** Renders one scrape. With no reading, only the scrape metrics: the series of a failed read are left absent, not zero. */
export async function renderPveMetrics(scrape: PveScrape): Promise<string> {
  const registry = new Registry();
  const gauges = {} as Record<MetricKey, Gauge>;
  for (const [key, [name, help, labelNames]] of Object.entries(PVE_METRICS)) {
    gauges[key as MetricKey] = new Gauge({ name, help, labelNames: [...labelNames], registers: [registry] });
  }
  // Sets a value only when Proxmox reported one: a missing figure is no series, never a made-up 0.
  const set = (key: MetricKey, labels: Record<string, string>, value: number | undefined): void => {
    if (value !== undefined) gauges[key].set(labels, value);
  };
  const h = scrape.health;
  gauges.scrapeSuccess.set(h ? 1 : 0);
  gauges.scrapeDuration.set(scrape.durationSeconds);
  if (h) {
    if (h.cluster) {
      set('clusterQuorate', { cluster: h.cluster.name }, h.cluster.quorate ? 1 : 0);
      set('clusterNodes', { cluster: h.cluster.name }, h.cluster.nodes);
    }
    for (const n of h.nodes) {
      const labels = { node: n.node };
      set('up', { id: `node/${n.node}`, type: 'node', node: n.node }, n.online ? 1 : 0);
      set('nodeCpu', labels, n.cpu);
      set('nodeCpus', labels, n.cpus);
      set('nodeMemUsed', labels, n.memoryUsed);
      set('nodeMemTotal', labels, n.memoryTotal);
      set('nodeUptime', labels, n.uptime);
    }
    for (const s of h.storages) {
      const labels = { node: s.node, storage: s.storage };
      set('up', { id: `storage/${s.node}/${s.storage}`, type: 'storage', node: s.node }, s.available ? 1 : 0);
      set('storageUsed', labels, s.used);
      set('storageSize', labels, s.size);
      set('storageShared', labels, s.shared ? 1 : 0);
    }
    for (const g of h.guests) {
      const labels = { vmid: String(g.vmid), name: g.name, node: g.node, type: g.type };
      set('up', { id: `${g.type}/${g.vmid}`, type: g.type, node: g.node }, g.running ? 1 : 0);
      set('guestRunning', labels, g.running ? 1 : 0);
      set('guestCpu', labels, g.cpu);
      set('guestCpus', labels, g.cpus);
      set('guestMemUsed', labels, g.memoryUsed);
      set('guestMemTotal', labels, g.memoryTotal);
      set('guestUptime', labels, g.uptime);
    }
  }
  return registry.metrics();
}
