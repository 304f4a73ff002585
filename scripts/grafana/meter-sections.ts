/**
 * The top of the board, read at a glance like btop: headline meters, the grid of engine nodes
 * and shards (red where one is down), the hosts under them, the database, and the busiest zones.
 */
import { BUSIEST_ZONES_PROMQL, FIGURES } from '../../packages/engine/src/metrics/figures.js';
import {
  figureBars,
  figurePanel,
  figureQuery,
  grafanaThresholds,
  withInstanceFilter,
} from './figure-panels.js';
import type { Section } from './layout.js';
import { panel, UP_DOWN } from './panels.js';

const headline: Section = {
  lines: [
    [
      figurePanel('players', { w: 3, h: 5 }),
      figurePanel('commandsPerSecond', { w: 3, h: 5 }),
      figurePanel('commandLatencyP50', { w: 3, h: 5 }),
      figurePanel('commandLatencyP95', { w: 3, h: 5 }),
      figurePanel('commandLatencyP99', { w: 3, h: 5 }),
      figurePanel('tickLoad', { w: 3, h: 5 }),
      figurePanel('tickOverrunsPerSecond', { w: 3, h: 5 }),
      figurePanel('eventLoopLag', { w: 3, h: 5 }),
    ],
    [
      figurePanel('memoryPerPlayer', { w: 3, h: 5 }),
      figurePanel('residentMemory', { w: 3, h: 5 }),
      figurePanel('writeBehindBacklog', { w: 3, h: 5 }),
      figurePanel('dbQueryP99', { w: 3, h: 5 }),
      figurePanel('dbErrorsPerSecond', { w: 3, h: 5 }),
      figurePanel('droppedPerSecond', { w: 3, h: 5 }),
      figurePanel('bytesInPerSecond', { w: 3, h: 5 }),
      figurePanel('bytesOutPerSecond', { w: 3, h: 5 }),
    ],
  ],
};

const ENGINE_UP = figureQuery(FIGURES.enginesUp, true);
const SHARD_UP = figureQuery(FIGURES.shardsUp, true);
const SHARD_LEGEND = '{{instance}} shard {{shard}}';

const grid: Section = {
  title: 'Grid: engine nodes and shards',
  lines: [
    [
      figurePanel('enginesUp', { w: 3, h: 5 }),
      panel({
        kind: 'stat',
        title: 'Engine nodes',
        description:
          'Each engine Prometheus scrapes (up): DOWN in red when a scrape fails. LeviathanEngineDown fires after a minute.',
        queries: [{ expr: ENGINE_UP, legend: '{{instance}}', instant: true }],
        background: true,
        ...UP_DOWN,
        w: 7,
        h: 5,
      }),
      figurePanel('shardsUp', { w: 3, h: 5 }),
      panel({
        kind: 'stat',
        title: 'Shards',
        description:
          'Each shard of each engine (leviathan_shard_up): DOWN in red while its supervisor has not brought it back.',
        queries: [{ expr: SHARD_UP, legend: SHARD_LEGEND, instant: true }],
        background: true,
        ...UP_DOWN,
        w: 8,
        h: 5,
      }),
      figurePanel('lastTickAge', { w: 3, h: 5 }),
    ],
    [
      panel({
        kind: 'state-timeline',
        title: 'Engine nodes up, over time',
        queries: [{ expr: ENGINE_UP, legend: '{{instance}}' }],
        ...UP_DOWN,
        w: 12,
        h: 6,
      }),
      panel({
        kind: 'status-history',
        title: 'Shards up, over time',
        queries: [{ expr: SHARD_UP, legend: SHARD_LEGEND }],
        ...UP_DOWN,
        w: 12,
        h: 6,
      }),
    ],
    [
      figureBars('tickLoad', 'Tick load by shard', SHARD_LEGEND, { w: 8, h: 7 }),
      figureBars('tickOverrunsPerSecond', 'Overruns/s by shard', SHARD_LEGEND, { w: 8, h: 7 }),
      figureBars('lastTickAge', 'Last tick by shard', SHARD_LEGEND, { w: 8, h: 7 }),
    ],
    [
      figureBars('players', 'Players by node', '{{instance}}', { w: 4, h: 7 }),
      figureBars('commandsPerSecond', 'Commands/s by node', '{{instance}}', { w: 4, h: 7 }),
      figureBars('commandLatencyP99', 'Latency p99 by node', '{{instance}}', { w: 4, h: 7 }),
      figureBars('eventLoopLag', 'Loop lag by node', '{{instance}}', { w: 4, h: 7 }),
      figureBars('memoryPerPlayer', 'Mem/player by node', '{{instance}}', { w: 4, h: 7 }),
      figureBars('writeBehindBacklog', 'Save backlog by node', '{{instance}}', { w: 4, h: 7 }),
    ],
  ],
};

const hosts: Section = {
  title: 'Hosts (node exporter)',
  lines: [
    [
      figurePanel('hostCpu', { w: 4, h: 5 }),
      figurePanel('hostMemory', { w: 4, h: 5 }),
      figurePanel('hostDisk', { w: 4, h: 5 }),
      figurePanel('hostNetworkIn', { w: 6, h: 5 }),
      figurePanel('hostNetworkOut', { w: 6, h: 5 }),
    ],
    [
      figureBars('hostCpu', 'CPU by host', '{{instance}}', { w: 6, h: 7 }),
      figureBars('hostMemory', 'Memory by host', '{{instance}}', { w: 6, h: 7 }),
      figureBars('hostDisk', 'Disk / by host', '{{instance}}', { w: 4, h: 7 }),
      figureBars('hostNetworkIn', 'Net in by host', '{{instance}}', { w: 4, h: 7 }),
      figureBars('hostNetworkOut', 'Net out by host', '{{instance}}', { w: 4, h: 7 }),
    ],
  ],
};

const database: Section = {
  title: 'Database: Postgres (exporter) and the engine’s own store timings',
  lines: [
    [
      figurePanel('pgConnections', { w: 4, h: 6 }),
      figurePanel('pgTransactionsPerSecond', { w: 4, h: 6 }),
      figurePanel('pgLocks', { w: 4, h: 6 }),
      figurePanel('pgCacheHitRatio', { w: 4, h: 6 }),
      panel({
        kind: 'bargauge',
        title: 'Engine store p99 by operation',
        description:
          'leviathan_db_query_duration_seconds: the engine’s own timing of each store operation (loads, flushes), p99 over 5 minutes.',
        queries: [
          {
            expr: withInstanceFilter(
              'histogram_quantile(0.99, sum by (operation, le) (rate(leviathan_db_query_duration_seconds_bucket[5m])))',
            ),
            legend: '{{operation}}',
            instant: true,
          },
        ],
        unit: 's',
        min: 0,
        max: FIGURES.dbQueryP99.meterMax,
        thresholds: grafanaThresholds(FIGURES.dbQueryP99),
        w: 8,
        h: 6,
      }),
    ],
  ],
};

const zones: Section = {
  title: 'Busiest zones',
  lines: [
    [
      panel({
        kind: 'bargauge',
        title: 'Busiest zones (players)',
        description:
          'Each shard reports its ten busiest zones (leviathan_zone_players); the ten busiest of the fleet.',
        queries: [
          {
            expr: withInstanceFilter(BUSIEST_ZONES_PROMQL),
            legend: '{{zone}} ({{instance}} shard {{shard}})',
            instant: true,
          },
        ],
        min: 0,
        w: 12,
        h: 8,
      }),
      panel({
        kind: 'timeseries',
        title: 'Players per shard',
        queries: [
          {
            expr: withInstanceFilter('sum by (instance, shard) (leviathan_shard_players)'),
            legend: SHARD_LEGEND,
          },
        ],
        min: 0,
        stacked: true,
        w: 12,
        h: 8,
      }),
    ],
  ],
};

/** The meters, top to bottom. */
export const METER_SECTIONS: readonly Section[] = [headline, grid, hosts, database, zones];
