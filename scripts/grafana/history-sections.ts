/**
 * The lower half of the board: the same quantities over time, for "since when" and "what
 * changed", then a cluster's nodes and the Proxmox hosts under the game servers.
 */
import { withInstanceFilter as f } from './figure-panels.js';
import type { Section } from './layout.js';
import { type PanelSpec, panel, type Query } from './panels.js';

function series(title: string, unit: string, queries: readonly Query[], extra: Partial<PanelSpec> = {}) {
  return panel({ kind: 'timeseries', title, unit, queries, w: 8, h: 7, ...extra });
}

const overTime: Section = {
  title: 'Over time',
  lines: [
    [
      series(
        'Connected players',
        'short',
        [{ expr: f('sum by (instance) (leviathan_connected_players)'), legend: '{{instance}}' }],
        { min: 0 },
      ),
      series('Connections opened / closed', 'ops', [
        { expr: f('sum(rate(leviathan_connections_opened_total[1m]))'), legend: 'opened' },
        {
          expr: f('sum by (reason) (rate(leviathan_connections_closed_total[1m]))'),
          legend: 'closed: {{reason}}',
        },
      ]),
      series('Messages in / out', 'ops', [
        { expr: f('sum(rate(leviathan_messages_received_total[1m]))'), legend: 'in' },
        { expr: f('sum(rate(leviathan_messages_sent_total[1m]))'), legend: 'out' },
      ]),
    ],
    [
      series(
        'Command latency against the tick',
        's',
        [
          { expr: f('max(leviathan:command_duration_seconds:p50)'), legend: 'p50' },
          { expr: f('max(leviathan:command_duration_seconds:p95)'), legend: 'p95' },
          { expr: f('max(leviathan:command_duration_seconds:p99)'), legend: 'p99' },
          { expr: f('max(leviathan_tick_period_seconds)'), legend: 'one tick' },
        ],
        {
          description:
            'Receipt at the gateway to the reply written; a healthy p99 sits near one tick period.',
        },
      ),
      series('Tick p99 by shard', 's', [
        {
          expr: f('max by (instance, shard) (leviathan:tick_duration_seconds:p99)'),
          legend: '{{instance}} shard {{shard}}',
        },
      ]),
      series('Event-loop lag by thread', 's', [
        { expr: f('max by (thread) (leviathan_event_loop_lag_seconds)'), legend: '{{thread}}' },
      ]),
    ],
    [
      series('Bytes in / out', 'Bps', [
        { expr: f('sum(rate(leviathan_bytes_received_total[1m]))'), legend: 'in' },
        { expr: f('sum(rate(leviathan_bytes_sent_total[1m]))'), legend: 'out' },
      ]),
      series('Rate-limited commands and slow-reader closes', 'ops', [
        { expr: f('sum(rate(leviathan_rate_limited_total[1m]))'), legend: 'rate-limited' },
        { expr: f('sum(rate(leviathan_slow_consumer_closes_total[1m]))'), legend: 'slow-reader closes' },
      ]),
      series('Shard restarts (5 min)', 'short', [
        {
          expr: f('sum by (shard) (increase(leviathan_shard_restarts_total[5m]))'),
          legend: 'shard {{shard}}',
        },
      ]),
    ],
    [
      series('Heap and RSS', 'bytes', [
        { expr: f('sum by (instance) (leviathan_heap_used_bytes)'), legend: 'heap {{instance}}' },
        { expr: f('sum by (instance) (leviathan_rss_bytes)'), legend: 'RSS {{instance}}' },
      ]),
      series('Memory per connected player', 'bytes', [
        { expr: f('max by (instance) (leviathan:memory_per_player_bytes)'), legend: '{{instance}}' },
      ]),
      series('Job pool wait / run p95', 's', [
        {
          expr: f('histogram_quantile(0.95, sum by (le) (rate(leviathan_job_wait_seconds_bucket[1m])))'),
          legend: 'wait',
        },
        {
          expr: f('histogram_quantile(0.95, sum by (le) (rate(leviathan_job_run_seconds_bucket[1m])))'),
          legend: 'run',
        },
      ]),
    ],
    [
      series('Store p99 by operation', 's', [
        { expr: f('max by (operation) (leviathan:db_query_duration_seconds:p99)'), legend: '{{operation}}' },
      ]),
      series('Pending dirty entities (write-behind backlog)', 'short', [
        { expr: f('sum(leviathan_db_pending_dirty)'), legend: 'pending' },
      ]),
      series('Store errors/s and flush batch size', 'short', [
        { expr: f('sum(leviathan:db_errors:rate5m)'), legend: 'errors/s' },
        {
          expr: f(
            'sum(rate(leviathan_db_flush_batch_size_sum[1m])) / sum(rate(leviathan_db_flush_batch_size_count[1m]))',
          ),
          legend: 'entities per flush',
        },
      ]),
    ],
    [
      series('Postgres connections', 'short', [
        { expr: 'sum by (datname) (pg_stat_database_numbackends)', legend: '{{datname}}' },
        { expr: 'max(pg_settings_max_connections)', legend: 'max_connections' },
      ]),
      series('Postgres transactions/s', 'ops', [
        { expr: 'sum(rate(pg_stat_database_xact_commit[1m]))', legend: 'commits' },
        { expr: 'sum(rate(pg_stat_database_xact_rollback[1m]))', legend: 'rollbacks' },
      ]),
      series('Postgres locks by mode', 'short', [
        { expr: 'sum by (mode) (pg_locks_count)', legend: '{{mode}}' },
      ]),
    ],
    [
      series(
        'Host CPU',
        'percentunit',
        [
          {
            expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[1m]))',
            legend: '{{instance}}',
          },
        ],
        { min: 0, max: 1 },
      ),
      series(
        'Host memory used',
        'percentunit',
        [{ expr: '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', legend: '{{instance}}' }],
        { min: 0, max: 1 },
      ),
      series('Host network', 'Bps', [
        {
          expr: 'sum by (instance) (rate(node_network_receive_bytes_total{device!="lo"}[1m]))',
          legend: 'in {{instance}}',
        },
        {
          expr: 'sum by (instance) (rate(node_network_transmit_bytes_total{device!="lo"}[1m]))',
          legend: 'out {{instance}}',
        },
      ]),
    ],
  ],
};

const cluster: Section = {
  title: 'Cluster (nodes of one world)',
  lines: [
    [
      series(
        'Nodes up (as each node sees them)',
        'none',
        [{ expr: f('max by (instance) (leviathan_cluster_nodes_up)'), legend: '{{instance}}' }],
        { w: 12 },
      ),
      series(
        'Zones held by node',
        'none',
        [{ expr: f('sum by (instance) (leviathan_cluster_zones_held)'), legend: '{{instance}}' }],
        { w: 12 },
      ),
    ],
    [
      series(
        'Bytes to and from other nodes',
        'Bps',
        [
          {
            expr: f('sum by (instance, direction) (rate(leviathan_cluster_bus_bytes_total[1m]))'),
            legend: '{{instance}} {{direction}}',
          },
        ],
        { w: 12 },
      ),
      series(
        'Zone lease events/s',
        'ops',
        [
          {
            expr: f('sum by (instance, event) (rate(leviathan_cluster_lease_events_total[5m]))'),
            legend: '{{instance}} {{event}}',
          },
        ],
        { w: 12 },
      ),
    ],
  ],
};

const ratioBars = (
  title: string,
  description: string,
  expr: string,
  legend: string,
  warn: number,
  crit: number,
  w: number,
) =>
  panel({
    kind: 'bargauge',
    title,
    description,
    queries: [{ expr, legend, instant: true }],
    unit: 'percentunit',
    min: 0,
    max: 1,
    thresholds: [
      { color: 'green', value: null },
      { color: 'yellow', value: warn },
      { color: 'red', value: crit },
    ],
    w,
    h: 8,
  });

const proxmox: Section = {
  title: 'Proxmox (the hosts under the game servers)',
  lines: [
    [
      panel({
        kind: 'stat',
        title: 'Proxmox nodes up',
        description: 'Nodes in the corosync membership, of all configured (leviathan-pve-exporter).',
        queries: [
          { expr: 'sum(pve_up{type="node"})', legend: 'up', instant: true },
          { expr: 'count(pve_up{type="node"})', legend: 'configured', instant: true },
        ],
        w: 4,
        h: 8,
      }),
      panel({
        kind: 'stat',
        title: 'Cluster quorum',
        description: 'Without quorum /etc/pve is read-only: no VM can be started or cloned.',
        queries: [{ expr: 'min(pve_cluster_quorate)', instant: true }],
        background: true,
        mappings: { '0': { text: 'NO QUORUM', color: 'red' }, '1': { text: 'quorate', color: 'green' } },
        thresholds: [
          { color: 'red', value: null },
          { color: 'green', value: 1 },
        ],
        w: 4,
        h: 4,
      }),
      ratioBars(
        'Node CPU',
        'CPU use of each Proxmox node, of all its CPUs.',
        'max by (node) (pve_node_cpu_ratio)',
        '{{node}}',
        0.8,
        0.95,
        8,
      ),
      ratioBars(
        'Node memory',
        'Memory in use on each node; ProxmoxNodeMemoryHigh fires above 90 %.',
        'max by (node) (pve:node_memory_used:ratio)',
        '{{node}}',
        0.8,
        0.9,
        8,
      ),
    ],
    [
      panel({
        kind: 'stat',
        title: 'Proxmox API read',
        description:
          'pve_scrape_success: whether the exporter could read the Proxmox API on its last scrape.',
        queries: [{ expr: 'min(pve_scrape_success)', instant: true }],
        background: true,
        mappings: { '0': { text: 'FAILING', color: 'red' }, '1': { text: 'ok', color: 'green' } },
        thresholds: [
          { color: 'red', value: null },
          { color: 'green', value: 1 },
        ],
        w: 4,
        h: 4,
      }),
      ratioBars(
        'Storage used',
        'Each storage as each node sees it; alerts at 85 % (warning) and 95 % (critical).',
        'max by (node, storage) (pve:storage_used:ratio)',
        '{{node}} {{storage}}',
        0.85,
        0.95,
        10,
      ),
      series(
        'Guests running by node',
        'short',
        [{ expr: 'sum by (node) (pve_guest_running)', legend: '{{node}}' }],
        {
          w: 10,
          h: 8,
          min: 0,
          stacked: true,
        },
      ),
    ],
  ],
};

/** Over time, then the cluster and Proxmox rows. */
export const HISTORY_SECTIONS: readonly Section[] = [overTime, cluster, proxmox];
