import { BUSIEST_ZONES_PROMQL, FIGURES, type FigureId, figureLevel } from '../metrics/figures.js';
import type { DashboardSnapshot, NodeRow, ShardRow, ZoneRow } from './dashboard-snapshot.js';
import type { DashboardSource } from './dashboard-source.js';
import { DEFAULT_HISTORY_POINTS, FigureHistory } from './figure-history.js';
import { readFigure, tickPeriodText, withNodeText, withShardText, worseLevel } from './figure-reading.js';
import {
  type InstantSample,
  PrometheusApi,
  PrometheusQueryError,
  PrometheusUnreachableError,
} from './prometheus-api.js';

export interface PrometheusSourceOptions {
  /** Longest wait for one query's answer, in ms. @default 2000 */
  readonly timeoutMs?: number;
  /** Samples kept per figure for sparklines. @default 180 */
  readonly historyPoints?: number;
  /**
   * Fill the sparklines from Prometheus's own history (`/api/v1/query_range`) on the first good
   * sample, one point every `sampleIntervalSeconds`, instead of starting them empty. @default true
   */
  readonly prefillHistory?: boolean;
  /** How often the view samples: the step of the pre-filled history. @default 1 */
  readonly sampleIntervalSeconds?: number;
}

const FIGURE_IDS = Object.keys(FIGURES) as FigureId[];

/** The grid's queries: each engine node, and each shard of each node. */
const GRID = {
  nodeUp: FIGURES.enginesUp.promqlByInstance ?? FIGURES.enginesUp.promql,
  nodePlayers: FIGURES.players.promqlByInstance ?? '',
  nodeCommands: FIGURES.commandsPerSecond.promqlByInstance ?? '',
  nodeLatencyP99: FIGURES.commandLatencyP99.promqlByInstance ?? '',
  shardUp: FIGURES.shardsUp.promqlByInstance ?? '',
  shardPlayers: 'sum by (instance, shard) (leviathan_shard_players)',
  shardTickP99:
    'histogram_quantile(0.99, sum by (instance, shard, le) (rate(leviathan_tick_duration_seconds_bucket[1m])))',
  shardTickLoad: FIGURES.tickLoad.promqlByInstance ?? '',
  shardOverruns: FIGURES.tickOverrunsPerSecond.promqlByInstance ?? '',
  zones: BUSIEST_ZONES_PROMQL,
  tickPeriod: 'max(leviathan_tick_period_seconds)',
} as const;

type GridKey = keyof typeof GRID;

/**
 * Fleet mode (`leviathan top --prometheus URL`): pictures of every engine a Prometheus server
 * scrapes, from the same PromQL the Grafana board runs (metrics/figures.ts), the nodes and shards
 * grid, and the busiest zones. Prometheus does the rates and quantiles; the sparklines are kept
 * here, one point per sample. `sample()` never throws: a Prometheus that does not answer gives
 * `reachable: false` and why; a query it rejects leaves that number missing and says which.
 */
export function prometheusSource(url: string, options: PrometheusSourceOptions = {}): DashboardSource {
  const api = new PrometheusApi(url, options.timeoutMs ?? 2_000);
  const history = new FigureHistory(options.historyPoints ?? DEFAULT_HISTORY_POINTS);
  const target = api.origin;
  let prefill = options.prefillHistory ?? true;

  return {
    target,
    async sample(): Promise<DashboardSnapshot> {
      const at = Date.now();
      try {
        if (prefill) {
          await prefillHistory(api, history, at, options.sampleIntervalSeconds ?? 1);
          prefill = false;
        }
        return await picture(api, history, target, at);
      } catch (err) {
        return unreachable(history, target, at, err instanceof Error ? err.message : String(err));
      }
    },
    close() {
      api.abort();
    },
  };
}

/** A query's answer, or null where Prometheus rejected it (the reason kept for the snapshot). */
async function ask(
  api: PrometheusApi,
  promql: string,
  atS: number,
  errors: string[],
): Promise<InstantSample[] | null> {
  try {
    return await api.query(promql, atS);
  } catch (err) {
    if (err instanceof PrometheusQueryError) {
      errors.push(err.message);
      return null;
    }
    throw err;
  }
}

async function picture(
  api: PrometheusApi,
  history: FigureHistory,
  target: string,
  at: number,
): Promise<DashboardSnapshot> {
  const errors: string[] = [];
  const [figureAnswers, gridAnswers] = await Promise.all([
    // Every query at the same instant, so one picture cannot mix before and after a change (the
    // grid saying a node is down while the share of shards up, asked a moment earlier, says 100%).
    Promise.all(FIGURE_IDS.map((id) => ask(api, FIGURES[id].promql, at / 1000, errors))),
    Promise.all((Object.keys(GRID) as GridKey[]).map((key) => ask(api, GRID[key], at / 1000, errors))),
  ]);
  const grid = Object.fromEntries(
    (Object.keys(GRID) as GridKey[]).map((key, i) => [key, gridAnswers[i] ?? []]),
  ) as Record<GridKey, InstantSample[]>;
  const figures = FIGURE_IDS.map((id, i) => readFigure(id, firstValue(figureAnswers[i]), history));
  return {
    source: { kind: 'fleet', target },
    at,
    reachable: true,
    ...(errors.length > 0 ? { error: `Prometheus rejected ${errors.length} queries: ${errors[0]}` } : {}),
    tickPeriodSeconds: firstValue(grid.tickPeriod),
    tickPeriodText: tickPeriodText(firstValue(grid.tickPeriod)),
    figures,
    nodes: nodeRows(grid),
    shards: shardRows(grid),
    zones: zoneRows(grid.zones),
  };
}

function unreachable(history: FigureHistory, target: string, at: number, error: string): DashboardSnapshot {
  return {
    source: { kind: 'fleet', target },
    at,
    reachable: false,
    error,
    tickPeriodSeconds: null,
    tickPeriodText: tickPeriodText(null),
    figures: FIGURE_IDS.map((id) => readFigure(id, null, history)),
    // Prometheus being down says nothing about the engines: the grid is empty, not red.
    nodes: [],
    shards: [],
    zones: [],
  };
}

/** The single value of a fleet query (absent or not a number: missing). */
function firstValue(samples: InstantSample[] | null | undefined): number | null {
  const value = samples?.[0]?.value;
  return value === undefined || !Number.isFinite(value) ? null : value;
}

/** Values by the given labels, joined with a space (`instance`, or `instance shard`). */
function byLabels(samples: readonly InstantSample[], ...labels: string[]): Map<string, number | null> {
  return new Map(
    samples.map((s) => [
      labels.map((l) => s.labels[l] ?? '').join(' '),
      Number.isFinite(s.value) ? s.value : null,
    ]),
  );
}

function nodeRows(grid: Record<GridKey, InstantSample[]>): NodeRow[] {
  const players = byLabels(grid.nodePlayers, 'instance');
  const commands = byLabels(grid.nodeCommands, 'instance');
  const latency = byLabels(grid.nodeLatencyP99, 'instance');
  return grid.nodeUp
    .map((s) => {
      const node = s.labels.instance ?? '';
      const up = s.value >= 1;
      const latencyP99Seconds = up ? (latency.get(node) ?? null) : null;
      return withNodeText({
        node,
        up,
        players: up ? (players.get(node) ?? null) : null,
        commandsPerSecond: up ? (commands.get(node) ?? null) : null,
        latencyP99Seconds,
        level: up ? worseLevel('ok', figureLevel(FIGURES.commandLatencyP99, latencyP99Seconds)) : 'crit',
      });
    })
    .sort((a, b) => a.node.localeCompare(b.node));
}

function shardRows(grid: Record<GridKey, InstantSample[]>): ShardRow[] {
  const players = byLabels(grid.shardPlayers, 'instance', 'shard');
  const tickP99 = byLabels(grid.shardTickP99, 'instance', 'shard');
  const tickLoad = byLabels(grid.shardTickLoad, 'instance', 'shard');
  const overruns = byLabels(grid.shardOverruns, 'instance', 'shard');
  return grid.shardUp
    .map((s) => {
      const node = s.labels.instance ?? '';
      const shard = s.labels.shard ?? '';
      const key = `${node} ${shard}`;
      const up = s.value >= 1;
      const load = tickLoad.get(key) ?? null;
      const overrunsPerSecond = overruns.get(key) ?? null;
      return withShardText({
        node,
        shard,
        up,
        players: players.get(key) ?? null,
        tickP99Seconds: tickP99.get(key) ?? null,
        tickLoad: load,
        overrunsPerSecond,
        level: up
          ? worseLevel(
              worseLevel('ok', figureLevel(FIGURES.tickLoad, load)),
              figureLevel(FIGURES.tickOverrunsPerSecond, overrunsPerSecond),
            )
          : 'crit',
      });
    })
    .sort((a, b) => a.node.localeCompare(b.node) || a.shard.localeCompare(b.shard, 'en', { numeric: true }));
}

function zoneRows(samples: readonly InstantSample[]): ZoneRow[] {
  return samples
    .map((s) => ({
      node: s.labels.instance ?? '',
      shard: s.labels.shard ?? '',
      zone: s.labels.zone ?? '',
      players: s.value,
    }))
    .sort((a, b) => b.players - a.players || a.zone.localeCompare(b.zone));
}

/**
 * The sparklines' past, from Prometheus: each figure over the last `historyPoints - 1` steps
 * (the current sample is the last point), a missing point where Prometheus had none. A figure
 * whose range query is rejected starts empty.
 */
async function prefillHistory(
  api: PrometheusApi,
  history: FigureHistory,
  atMs: number,
  stepS: number,
): Promise<void> {
  const steps = history.points - 1;
  if (steps < 1) return;
  const end = Math.floor(atMs / 1000) - stepS;
  const start = end - (steps - 1) * stepS;
  const series = await Promise.all(
    FIGURE_IDS.map((id) =>
      api.queryRange(FIGURES[id].promql, start, end, stepS).catch((err: unknown) => {
        if (err instanceof PrometheusUnreachableError) throw err;
        return [];
      }),
    ),
  );
  FIGURE_IDS.forEach((id, i) => {
    const points = new Map(series[i]?.[0]?.points.map(([t, v]) => [t, v]) ?? []);
    for (let k = 0; k < steps; k++) {
      const v = points.get(start + k * stepS);
      history.push(id, v === undefined || !Number.isFinite(v) ? null : v);
    }
  });
}
