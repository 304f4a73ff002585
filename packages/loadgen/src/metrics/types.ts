export type MetricType = 'trend' | 'counter' | 'rate' | 'gauge';

/** One metric series' samples over an interval, as a worker sends them (mergeable, serializable). */
export type SeriesSnapshot =
  | { type: 'trend'; time: boolean; histogram: string }
  | { type: 'counter'; count: number }
  | { type: 'rate'; passes: number; fails: number }
  | { type: 'gauge'; value: number; min: number; max: number };

/** Series key → snapshot. A key is a metric name, or a name with tags: `ws_cmd_duration{name:look}`. */
export type MetricsSnapshot = Record<string, SeriesSnapshot>;

/** Trend statistics in display units (ms for time trends). */
export interface TrendStats {
  count: number;
  avg: number;
  min: number;
  med: number;
  max: number;
  'p(90)': number;
  'p(95)': number;
  'p(99)': number;
}

/** The values a threshold can test, per type; also what summaries and outputs print. */
export type SeriesValues =
  | { type: 'trend'; time: boolean; values: TrendStats }
  | { type: 'counter'; values: { count: number; rate: number } }
  | { type: 'rate'; values: { rate: number; passes: number; fails: number } }
  | { type: 'gauge'; values: { value: number; min: number; max: number } };
