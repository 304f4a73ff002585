/**
 * What the figures mean: the one place that names every figure an operator reads, in `leviathan
 * top`, on the engine's `/dashboard` page, on the Grafana board (monitoring/grafana, generated from
 * this file by scripts/build-grafana-dashboard.ts) and in the alert rules
 * (monitoring/prometheus/rules, whose thresholds a test compares with the ones here).
 *
 * Each figure says what it measures, in which unit, how Prometheus computes it over a fleet (the
 * PromQL that Grafana and `leviathan top --prometheus` run), and when it turns yellow (`warn`) or
 * red (`crit`). Where an alert rule fires on the figure, `crit` is the alert's threshold and
 * `alert` names the rule, so a red meter and a page to the on-call mean the same thing.
 */

/** How a figure's value is written: `seconds` as ms/s, `bytes` as KiB/MiB, `ratio` as a percentage. */
export type FigureUnit = 'count' | 'perSecond' | 'seconds' | 'bytes' | 'bytesPerSecond' | 'ratio';

/** ok: within `warn`; warn: past `warn`; crit: past `crit` (where the alert fires); none: no data. */
export type FigureLevel = 'ok' | 'warn' | 'crit' | 'none';

export interface FigureThresholds {
  /** Yellow past this value (strictly, as an alert's `>` compares). */
  readonly warn: number;
  /** Red past this value: the alert rule's threshold when `alert` is set. */
  readonly crit: number;
  /** `above` (default): larger is worse. `below`: smaller is worse (a cache hit ratio, shards up). */
  readonly direction?: 'above' | 'below';
}

export interface Figure {
  readonly id: FigureId;
  /** Short label, fits a meter in an 80-column terminal (≤ 14 characters). */
  readonly title: string;
  /** One sentence: what it measures and what is normal. */
  readonly description: string;
  readonly unit: FigureUnit;
  /** Over a whole fleet (one series), for Grafana stats and `top --prometheus`. */
  readonly promql: string;
  /**
   * Per engine node (`instance`) or host, for Grafana bar gauges and the grid; absent where the
   * fleet figure already is one series per thing.
   */
  readonly promqlByInstance?: string;
  readonly thresholds?: FigureThresholds;
  /** A meter's full scale (value at a full bar); absent: the figure is a number and a sparkline. */
  readonly meterMax?: number;
  /** The alert rule that fires at `thresholds.crit` (monitoring/prometheus/rules). */
  readonly alert?: string;
  /** Where the figure comes from: the engine's own `/metrics`, the node exporter, the Postgres exporter. */
  readonly source: 'engine' | 'node_exporter' | 'postgres_exporter';
}

/** The default tick period (10 Hz): the scale that command latency and tick time are read against. */
export const DEFAULT_TICK_PERIOD_SECONDS = 0.1;

const quantile = (q: number, metric: string, by: string) =>
  `histogram_quantile(${q}, sum by (${by}le) (rate(${metric}_bucket[1m])))`;

/**
 * Each shard's liveness, and 0 for every shard of an engine Prometheus cannot scrape: an engine that
 * is down reports nothing, so its shards would otherwise vanish from the grid instead of turning
 * red. Its shards are the ones it reported in the last 10 minutes; a target removed from
 * Prometheus has no `up` and drops out of both the grid and the share.
 */
const SHARDS_UP_BY_INSTANCE =
  'max by (instance, shard) (last_over_time(leviathan_shard_up[10m])) * on (instance) group_left max by (instance) (up{job="leviathan-engine"})';

const ENGINE_FIGURES = [
  {
    id: 'players',
    title: 'Players',
    description: 'Authenticated players connected to the engine.',
    unit: 'count',
    promql: 'sum(leviathan_connected_players)',
    promqlByInstance: 'sum by (instance) (leviathan_connected_players)',
    source: 'engine',
  },
  {
    id: 'commandsPerSecond',
    title: 'Commands/s',
    description: 'Commands answered per second (each one timed from receipt at the gateway to its reply).',
    unit: 'perSecond',
    promql: 'sum(rate(leviathan_command_duration_seconds_count[1m]))',
    promqlByInstance: 'sum by (instance) (rate(leviathan_command_duration_seconds_count[1m]))',
    source: 'engine',
  },
  {
    id: 'commandLatencyP50',
    title: 'Latency p50',
    description: 'Median time from a command’s receipt to its reply, including the wait for the next tick.',
    unit: 'seconds',
    promql: quantile(0.5, 'leviathan_command_duration_seconds', ''),
    thresholds: { warn: 0.15, crit: 0.25 },
    meterMax: 0.3,
    source: 'engine',
  },
  {
    id: 'commandLatencyP95',
    title: 'Latency p95',
    description: '95th percentile of command latency (receipt to reply).',
    unit: 'seconds',
    promql: quantile(0.95, 'leviathan_command_duration_seconds', ''),
    thresholds: { warn: 0.15, crit: 0.25 },
    meterMax: 0.3,
    source: 'engine',
  },
  {
    id: 'commandLatencyP99',
    title: 'Latency p99',
    description:
      'The 99th percentile of command latency. It includes the wait for the next tick, so a healthy p99 sits near one tick period (100 ms at 10 Hz): yellow at 1.5 periods, red (and the alert) at 2.5.',
    unit: 'seconds',
    promql: quantile(0.99, 'leviathan_command_duration_seconds', ''),
    promqlByInstance: quantile(0.99, 'leviathan_command_duration_seconds', 'instance, '),
    thresholds: { warn: 0.15, crit: 0.25 },
    meterMax: 0.3,
    alert: 'LeviathanCommandLatencyHigh',
    source: 'engine',
  },
  {
    id: 'tickLoad',
    title: 'Tick load',
    description:
      'The busiest shard’s p99 tick time as a share of its tick period: at 100% a tick takes its whole period and the world starts to run slow.',
    unit: 'ratio',
    promql: `max(${quantile(0.99, 'leviathan_tick_duration_seconds', 'instance, shard, ')} / on (instance) group_left max by (instance) (leviathan_tick_period_seconds))`,
    promqlByInstance: `max by (instance, shard) (${quantile(0.99, 'leviathan_tick_duration_seconds', 'instance, shard, ')} / on (instance) group_left max by (instance) (leviathan_tick_period_seconds))`,
    thresholds: { warn: 0.5, crit: 1 },
    meterMax: 1,
    source: 'engine',
  },
  {
    id: 'tickOverrunsPerSecond',
    title: 'Overruns/s',
    description: 'Ticks per second that took longer than their period, summed over shards; 0 when healthy.',
    unit: 'perSecond',
    promql: 'sum(rate(leviathan_tick_overruns_total[1m]))',
    promqlByInstance: 'sum by (instance, shard) (rate(leviathan_tick_overruns_total[1m]))',
    thresholds: { warn: 0.1, crit: 0.5 },
    meterMax: 1,
    alert: 'LeviathanTickOverruns',
    source: 'engine',
  },
  {
    id: 'eventLoopLag',
    title: 'Loop lag',
    description:
      'The worst thread’s p99 event-loop delay since the previous scrape: a gateway or main thread that lags delays every socket it serves.',
    unit: 'seconds',
    promql: 'max(leviathan_event_loop_lag_seconds)',
    promqlByInstance: 'max by (instance) (leviathan_event_loop_lag_seconds)',
    thresholds: { warn: 0.05, crit: 0.1 },
    meterMax: 0.2,
    source: 'engine',
  },
  {
    id: 'memoryPerPlayer',
    title: 'Mem/player',
    description: 'The engine’s resident memory divided by its connected players (0 with nobody connected).',
    unit: 'bytes',
    promql: 'max(leviathan_bytes_per_player)',
    promqlByInstance: 'max by (instance) (leviathan_bytes_per_player)',
    source: 'engine',
  },
  {
    id: 'residentMemory',
    title: 'RSS',
    description: 'Resident memory of the engine process.',
    unit: 'bytes',
    promql: 'sum(leviathan_rss_bytes)',
    promqlByInstance: 'max by (instance) (leviathan_rss_bytes)',
    source: 'engine',
  },
  {
    id: 'bytesInPerSecond',
    title: 'Net in',
    description: 'WebSocket payload bytes received per second.',
    unit: 'bytesPerSecond',
    promql: 'sum(rate(leviathan_bytes_received_total[1m]))',
    source: 'engine',
  },
  {
    id: 'bytesOutPerSecond',
    title: 'Net out',
    description: 'WebSocket payload bytes sent per second.',
    unit: 'bytesPerSecond',
    promql: 'sum(rate(leviathan_bytes_sent_total[1m]))',
    source: 'engine',
  },
  {
    id: 'droppedPerSecond',
    title: 'Shed msgs/s',
    description: 'Low-priority messages shed per second (tick and socket budgets, congested sockets).',
    unit: 'perSecond',
    promql: 'sum(rate(leviathan_messages_dropped_total[1m]))',
    thresholds: { warn: 1, crit: 100 },
    source: 'engine',
  },
  {
    id: 'writeBehindBacklog',
    title: 'Save backlog',
    description:
      'Entities changed in memory and not yet saved (the write-behind backlog); red with the alert.',
    unit: 'count',
    promql: 'sum(leviathan_db_pending_dirty)',
    promqlByInstance: 'max by (instance) (leviathan_db_pending_dirty)',
    thresholds: { warn: 1000, crit: 10000 },
    meterMax: 10000,
    alert: 'LeviathanWriteBehindBacklog',
    source: 'engine',
  },
  {
    id: 'dbQueryP99',
    title: 'DB p99',
    description: 'The 99th percentile of the engine’s store operations (loads, flushes), over 5 minutes.',
    unit: 'seconds',
    promql: 'histogram_quantile(0.99, sum by (le) (rate(leviathan_db_query_duration_seconds_bucket[5m])))',
    promqlByInstance:
      'histogram_quantile(0.99, sum by (instance, le) (rate(leviathan_db_query_duration_seconds_bucket[5m])))',
    thresholds: { warn: 0.05, crit: 0.25 },
    meterMax: 0.3,
    source: 'engine',
  },
  {
    id: 'dbErrorsPerSecond',
    title: 'DB errors/s',
    description: 'Failed store operations per second; any at all for 5 minutes is the alert.',
    unit: 'perSecond',
    // The recording rule, not rate(leviathan_db_errors_total): that labelled counter has no series
    // until a first error, so a healthy engine would read as missing data; the rule reads 0 for
    // every engine scraped (monitoring/prometheus/rules/leviathan.yml).
    promql: 'sum(leviathan:db_errors:rate5m)',
    thresholds: { warn: 0, crit: 0 },
    alert: 'LeviathanDatabaseErrors',
    source: 'engine',
  },
  {
    id: 'shardsUp',
    title: 'Shards up',
    description:
      'Share of shards running and ticking; below 100% a shard’s players cannot act. The shards of an engine that is down count as down (for 10 minutes, as long as Prometheus remembers them).',
    unit: 'ratio',
    promql: `sum(${SHARDS_UP_BY_INSTANCE}) / count(${SHARDS_UP_BY_INSTANCE})`,
    promqlByInstance: SHARDS_UP_BY_INSTANCE,
    thresholds: { warn: 1, crit: 1, direction: 'below' },
    meterMax: 1,
    alert: 'LeviathanShardDown',
    source: 'engine',
  },
  {
    id: 'lastTickAge',
    title: 'Last tick',
    description: 'Time since the slowest shard last completed a tick; past 5 s the shard is stalled.',
    unit: 'seconds',
    promql: 'max(leviathan_shard_last_tick_age_seconds)',
    promqlByInstance: 'max by (instance, shard) (leviathan_shard_last_tick_age_seconds)',
    thresholds: { warn: 1, crit: 5 },
    alert: 'LeviathanShardStalled',
    source: 'engine',
  },
  {
    id: 'enginesUp',
    title: 'Engines up',
    description: 'Share of engine nodes Prometheus can scrape; below 100% a node is down.',
    unit: 'ratio',
    promql: 'avg(up{job="leviathan-engine"})',
    promqlByInstance: 'up{job="leviathan-engine"}',
    thresholds: { warn: 1, crit: 1, direction: 'below' },
    meterMax: 1,
    alert: 'LeviathanEngineDown',
    source: 'engine',
  },
] as const satisfies readonly (Omit<Figure, 'id'> & { id: string })[];

const HOST_FIGURES = [
  {
    id: 'hostCpu',
    title: 'Host CPU',
    description: 'Share of the host’s CPU time not idle, over all its cores.',
    unit: 'ratio',
    promql: '1 - avg(rate(node_cpu_seconds_total{mode="idle"}[1m]))',
    promqlByInstance: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[1m]))',
    thresholds: { warn: 0.7, crit: 0.9 },
    meterMax: 1,
    source: 'node_exporter',
  },
  {
    id: 'hostMemory',
    title: 'Host memory',
    description: 'Share of the host’s memory in use (not available to new allocations).',
    unit: 'ratio',
    promql: '1 - sum(node_memory_MemAvailable_bytes) / sum(node_memory_MemTotal_bytes)',
    promqlByInstance: '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes',
    thresholds: { warn: 0.8, crit: 0.9 },
    meterMax: 1,
    source: 'node_exporter',
  },
  {
    id: 'hostDisk',
    title: 'Host disk',
    description: 'Share of the root filesystem in use; the Proxmox storage alerts fire at 85% and 95%.',
    unit: 'ratio',
    promql:
      '1 - min(node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"})',
    promqlByInstance:
      '1 - max by (instance) (node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"})',
    thresholds: { warn: 0.85, crit: 0.95 },
    meterMax: 1,
    source: 'node_exporter',
  },
  {
    id: 'hostNetworkIn',
    title: 'Host net in',
    description: 'Bytes received per second on the host’s interfaces other than loopback.',
    unit: 'bytesPerSecond',
    promql: 'sum(rate(node_network_receive_bytes_total{device!="lo"}[1m]))',
    promqlByInstance: 'sum by (instance) (rate(node_network_receive_bytes_total{device!="lo"}[1m]))',
    source: 'node_exporter',
  },
  {
    id: 'hostNetworkOut',
    title: 'Host net out',
    description: 'Bytes sent per second on the host’s interfaces other than loopback.',
    unit: 'bytesPerSecond',
    promql: 'sum(rate(node_network_transmit_bytes_total{device!="lo"}[1m]))',
    promqlByInstance: 'sum by (instance) (rate(node_network_transmit_bytes_total{device!="lo"}[1m]))',
    source: 'node_exporter',
  },
] as const satisfies readonly (Omit<Figure, 'id'> & { id: string })[];

const POSTGRES_FIGURES = [
  {
    id: 'pgConnections',
    title: 'PG conns',
    description: 'Connections to Postgres as a share of max_connections.',
    unit: 'ratio',
    promql: 'sum(pg_stat_database_numbackends) / max(pg_settings_max_connections)',
    thresholds: { warn: 0.8, crit: 0.9 },
    meterMax: 1,
    source: 'postgres_exporter',
  },
  {
    id: 'pgTransactionsPerSecond',
    title: 'PG xact/s',
    description: 'Transactions committed and rolled back per second, all databases.',
    unit: 'perSecond',
    promql: 'sum(rate(pg_stat_database_xact_commit[1m])) + sum(rate(pg_stat_database_xact_rollback[1m]))',
    source: 'postgres_exporter',
  },
  {
    id: 'pgLocks',
    title: 'PG locks',
    description: 'Locks held or awaited in Postgres, all modes.',
    unit: 'count',
    promql: 'sum(pg_locks_count)',
    source: 'postgres_exporter',
  },
  {
    id: 'pgCacheHitRatio',
    title: 'PG cache hit',
    description:
      'Share of block reads served from Postgres’s buffer cache over 5 minutes; low means the working set does not fit.',
    unit: 'ratio',
    promql:
      'sum(rate(pg_stat_database_blks_hit[5m])) / (sum(rate(pg_stat_database_blks_hit[5m])) + sum(rate(pg_stat_database_blks_read[5m])))',
    thresholds: { warn: 0.95, crit: 0.9, direction: 'below' },
    meterMax: 1,
    source: 'postgres_exporter',
  },
] as const satisfies readonly (Omit<Figure, 'id'> & { id: string })[];

export type FigureId =
  | (typeof ENGINE_FIGURES)[number]['id']
  | (typeof HOST_FIGURES)[number]['id']
  | (typeof POSTGRES_FIGURES)[number]['id'];

/** The busiest zones of a fleet (each shard reports its ten busiest as leviathan_zone_players). */
export const BUSIEST_ZONES_PROMQL = 'topk(10, leviathan_zone_players)';

/** Every figure, by id. */
export const FIGURES: Readonly<Record<FigureId, Figure>> = Object.freeze(
  Object.fromEntries(
    [...ENGINE_FIGURES, ...HOST_FIGURES, ...POSTGRES_FIGURES].map((f) => [f.id, Object.freeze(f)]),
  ),
) as Readonly<Record<FigureId, Figure>>;

/** The level of `value` against the figure's thresholds. */
export function figureLevel(figure: Figure, value: number | null | undefined): FigureLevel {
  if (value === null || value === undefined || Number.isNaN(value)) return 'none';
  const t = figure.thresholds;
  if (t === undefined) return 'ok';
  if (t.direction === 'below') {
    if (value < t.crit) return 'crit';
    if (value < t.warn) return 'warn';
    return 'ok';
  }
  if (value > t.crit) return 'crit';
  if (value > t.warn) return 'warn';
  return 'ok';
}
