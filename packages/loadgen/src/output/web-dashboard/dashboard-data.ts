import { parseSeriesKey } from '../../metrics/series-key.js';
import type { SeriesValues } from '../../metrics/types.js';
import type { Summary } from '../../summary/summary.js';
import type { ThresholdResult } from '../../thresholds/evaluate.js';
import type { IntervalPoint, RunInfo } from '../live-output.js';

/**
 * One metrics interval as the dashboard page plots it: the interval's own values (not cumulative)
 * of every untagged series, a few hundred bytes of JSON. Tagged series are left out: a metric may
 * have a thousand tag sets, and the page plots metrics, not tag sets (the NDJSON output has them).
 */
export interface DashboardPoint {
  /** Interval number (the SSE event id: a page that reconnects asks for the points after it). */
  i: number;
  /** Seconds since the start at the interval's end (the x axis). */
  t: number;
  /** Seconds the interval covered (the last one may be shorter): a count over it is a rate. */
  s: number;
  /** Counters: the interval's count. A counter absent from a point counted nothing. */
  c: Record<string, number>;
  /** Time trends (ms): [count, p50, p95, p99] of the interval's samples. */
  q: Record<string, TrendPoint>;
  /** Other trends (their own unit): [count, p50, p95, p99]. */
  n: Record<string, TrendPoint>;
  /** Rates: [passes, fails] in the interval. */
  r: Record<string, [number, number]>;
  /** Gauges: the level at the interval's end. */
  g: Record<string, number>;
}

export type TrendPoint = [count: number, p50: number, p95: number, p99: number];

/** What the page knows of the run before its first point. */
export interface DashboardStart {
  scenarioFile: string;
  startedAt: string;
  /** When the scheduled load ends (s after the start), graceful stops excluded. */
  scheduledEndS: number;
  intervalMs: number;
}

/** One metric row of the end-of-test table: the summary's values as they are. */
export type DashboardMetricRow = { key: string } & SeriesValues;

/** The end of the run: the summary, reduced to what the page shows. */
export interface DashboardEnd {
  durationMs: number;
  aborted?: string;
  thresholds: Array<Omit<ThresholdResult, 'abortOnFail'>>;
  checks: Array<{ name: string; passes: number; fails: number }>;
  metrics: DashboardMetricRow[];
  /** Iteration errors, most frequent first (at most 10). */
  errors: Array<[message: string, count: number]>;
  warnings: string[];
}

/** Everything the page draws: what the live page receives as events, what the report embeds. */
export interface DashboardData {
  start?: DashboardStart;
  points: DashboardPoint[];
  end?: DashboardEnd;
}

export function toDashboardStart(info: RunInfo): DashboardStart {
  return {
    scenarioFile: info.scenarioFile,
    startedAt: info.startedAt,
    scheduledEndS: info.scheduledEndMs / 1000,
    intervalMs: info.intervalMs,
  };
}

/** Turns a merged interval into its dashboard point (untagged series only). */
export function toDashboardPoint({ seq, elapsedMs, intervalMs, agg }: IntervalPoint): DashboardPoint {
  // The last interval ends when the workers do, before its full length: its rates use its own span.
  const spanMs = Math.min(intervalMs, Math.max(1, elapsedMs - seq * intervalMs));
  const point: DashboardPoint = {
    i: seq,
    t: elapsedMs / 1000,
    s: spanMs / 1000,
    c: {},
    q: {},
    n: {},
    r: {},
    g: {},
  };
  for (const key of agg.keys()) {
    if (key.includes('{')) continue;
    const v = agg.values(key, spanMs);
    if (v === undefined) continue;
    switch (v.type) {
      case 'counter':
        point.c[key] = v.values.count;
        break;
      case 'trend': {
        const { count, med, 'p(95)': p95, 'p(99)': p99 } = v.values;
        (v.time ? point.q : point.n)[key] = [count, med, p95, p99];
        break;
      }
      case 'rate':
        point.r[key] = [v.values.passes, v.values.fails];
        break;
      case 'gauge':
        point.g[key] = v.values.value;
        break;
    }
  }
  return point;
}

/** A check's own series, `checks{check:NAME}` (not a tag set of checks that has a check tag). */
function checkName(key: string): string | undefined {
  const parsed = parseSeriesKey(key);
  if (parsed?.name !== 'checks') return undefined;
  const tags = Object.keys(parsed.tags);
  return tags.length === 1 && tags[0] === 'check' ? parsed.tags.check : undefined;
}

/**
 * The summary as the page shows it: every threshold, every check, and a table row for each
 * untagged metric and each tagged series a threshold names (as the terminal table does).
 */
export function toDashboardEnd(summary: Summary): DashboardEnd {
  const named = new Set(summary.thresholds.map((t) => t.metric));
  const metrics: DashboardMetricRow[] = [];
  const checks: DashboardEnd['checks'] = [];
  for (const key of Object.keys(summary.metrics).sort()) {
    const { raw: _raw, ...values } = summary.metrics[key] as Summary['metrics'][string];
    const check = checkName(key);
    if (check !== undefined && values.type === 'rate') {
      checks.push({
        name: check,
        passes: values.values.passes,
        fails: values.values.fails,
      });
    }
    if (!key.includes('{') || named.has(key)) metrics.push({ key, ...values });
  }
  return {
    durationMs: summary.durationMs,
    ...(summary.aborted === undefined ? {} : { aborted: summary.aborted }),
    thresholds: summary.thresholds.map(({ abortOnFail: _a, ...t }) => t),
    checks,
    metrics,
    errors: Object.entries(summary.errors)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10),
    warnings: summary.warnings,
  };
}
