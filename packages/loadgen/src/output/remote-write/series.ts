import { parseSeriesKey } from '../../metrics/series-key.js';
import type { SeriesValues } from '../../metrics/types.js';
import type { IntervalPoint } from '../live-output.js';
import type { Label, TimeSeries } from './protobuf.js';

/** Beside the engine's `leviathan_*` metrics on the same Prometheus, and never one of them. */
export const METRIC_PREFIX = 'leviathan_load_';

/** The trend statistics sent as gauges, by the `quantile` label they carry (1 is the maximum). */
const QUANTILES = [
  ['0.5', 'med'],
  ['0.9', 'p(90)'],
  ['0.95', 'p(95)'],
  ['0.99', 'p(99)'],
  ['1', 'max'],
] as const;

/** Labels this output sets itself; a tag of the same name is sent as `tag_<name>`. */
const OWN_LABELS = new Set(['__name__', 'testid', 'instance', 'segment', 'quantile']);

/** A metric name with only the characters Prometheus allows (`ws.cmd-time` → `ws_cmd_time`). */
export function metricName(name: string): string {
  return METRIC_PREFIX + name.replace(/[^a-zA-Z0-9_:]/g, '_');
}

/** A tag name as a Prometheus label name: sanitized, never a reserved `__` name nor one of ours. */
export function labelName(tag: string): string {
  let name = tag.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (name.startsWith('__') || OWN_LABELS.has(name)) name = `tag_${name}`;
  return name;
}

/** `name` + `suffix`, once: a counter already named `…_total` keeps its name. */
function suffixed(name: string, suffix: string): string {
  return suffix === '_total' && name.endsWith('_total') ? name : name + suffix;
}

/** Labels sorted by name (byte order), as remote write requires of every series. */
function sorted(labels: Label[]): Label[] {
  return labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

interface KeyedSeries {
  tags: Record<string, string>;
  values: SeriesValues;
}

/**
 * A series key that sums tag sets rather than being one: a threshold's tag filter, or a check's
 * own `checks{check:<name>}` (its samples also sit in their full tag set, which has the VU's
 * `scenario` too).
 */
function isSelector(
  name: string,
  tags: Readonly<Record<string, string>>,
  key: string,
  selectors: ReadonlySet<string>,
) {
  if (selectors.has(key)) return true;
  const names = Object.keys(tags);
  return name === 'checks' && names.length === 1 && names[0] === 'check';
}

/**
 * The series of one interval to send for each metric: its full tag sets, without the selectors'
 * sums over some of them, so that the series of a metric partition its samples and `sum()` over
 * them is the metric's total. A metric without tagged series is sent as its untagged total.
 */
function fullTagSets(
  point: IntervalPoint,
  selectors: ReadonlySet<string>,
): Map<string, { total?: KeyedSeries; sets: KeyedSeries[] }> {
  const metrics = new Map<string, { total?: KeyedSeries; sets: KeyedSeries[] }>();
  for (const key of point.agg.keys()) {
    const parsed = parseSeriesKey(key);
    const values = point.agg.values(key, point.intervalMs);
    if (parsed === undefined || values === undefined) continue;
    let m = metrics.get(parsed.name);
    if (m === undefined) {
      m = { sets: [] };
      metrics.set(parsed.name, m);
    }
    if (Object.keys(parsed.tags).length === 0) m.total = { tags: {}, values };
    else if (!isSelector(parsed.name, parsed.tags, key, selectors))
      m.sets.push({ tags: parsed.tags, values });
  }
  return metrics;
}

/** What a counter-like series adds in an interval: a counter's count, a rate's passes and fails, a trend's count and sum. */
function increments(values: SeriesValues): Array<[suffix: string, delta: number]> {
  switch (values.type) {
    case 'counter':
      return [['_total', values.values.count]];
    case 'rate':
      return [
        ['_passes_total', values.values.passes],
        ['_fails_total', values.values.fails],
      ];
    case 'trend': {
      const unit = values.time ? 1000 : 1;
      const base = values.time ? '_seconds' : '';
      return [
        [`${base}_count`, values.values.count],
        [`${base}_sum`, (values.values.avg * values.values.count) / unit],
      ];
    }
    case 'gauge':
      return [];
  }
}

/**
 * Turns each interval of a run into remote-write series (naming in docs/loadgen.md, "Prometheus
 * remote write"). Counters are cumulative from the output's start, and every counter seen once is
 * sent again each interval (unchanged when it had no samples), so `rate()` and `increase()` read
 * zero rather than a gap; trend statistics and gauge levels are the interval's own.
 */
export class SeriesBuilder {
  readonly #common: Label[];
  readonly #selectors: ReadonlySet<string>;
  /** Counter series (by its label signature) → its labels and cumulative value. */
  readonly #counters = new Map<string, { labels: Label[]; value: number }>();

  /**
   * `common`: the labels of every series (testid, instance, segment); `selectorKeys`: the run's
   * threshold tag filters (RunInfo.selectorKeys), sums that are not sent.
   */
  constructor(common: Readonly<Record<string, string>>, selectorKeys: readonly string[] = []) {
    this.#common = Object.entries(common).map(([name, value]) => ({ name, value }));
    this.#selectors = new Set(selectorKeys);
  }

  #labels(name: string, tags: Readonly<Record<string, string>>, extra: Label[] = []): Label[] {
    const labels = [{ name: '__name__', value: name }, ...this.#common, ...extra];
    for (const [k, v] of Object.entries(tags)) labels.push({ name: labelName(k), value: v });
    return sorted(labels);
  }

  #count(name: string, tags: Readonly<Record<string, string>>, delta: number): void {
    const labels = this.#labels(name, tags);
    const signature = JSON.stringify(labels);
    const cur = this.#counters.get(signature);
    if (cur !== undefined) cur.value += delta;
    else if (delta > 0) this.#counters.set(signature, { labels, value: delta });
  }

  /** The series of one interval, all stamped with its end. */
  interval(point: IntervalPoint): TimeSeries[] {
    const timestampMs = Math.round(point.endEpochMs);
    const out: TimeSeries[] = [];
    const gauge = (
      name: string,
      tags: Readonly<Record<string, string>>,
      value: number,
      extra: Label[] = [],
    ) => out.push({ labels: this.#labels(name, tags, extra), samples: [{ value, timestampMs }] });

    for (const [metric, { total, sets }] of fullTagSets(point, this.#selectors)) {
      const name = metricName(metric);
      // Levels and statistics of the full tag sets, or of the total when there are none.
      for (const s of sets.length > 0 ? sets : total === undefined ? [] : [total]) {
        const v = s.values;
        if (v.type === 'gauge') gauge(name, s.tags, v.values.value);
        else if (v.type === 'trend' && v.values.count > 0) {
          const unit = v.time ? 1000 : 1;
          const trendName = v.time ? `${name}_seconds` : name;
          for (const [q, stat] of QUANTILES)
            gauge(trendName, s.tags, v.values[stat] / unit, [{ name: 'quantile', value: q }]);
        }
      }
      // Counts: each full tag set, and the untagged samples (the total less the sets) on their own.
      const whole = new Map(total === undefined ? [] : increments(total.values));
      const rest = new Map(whole);
      for (const s of sets) {
        for (const [suffix, d] of increments(s.values)) {
          this.#count(suffixed(name, suffix), s.tags, d);
          rest.set(suffix, (rest.get(suffix) ?? 0) - d);
        }
      }
      // Float sums of a trend leave a rounding residue: a rest under a millionth of the total is none.
      for (const [suffix, d] of rest)
        this.#count(suffixed(name, suffix), {}, d > (whole.get(suffix) ?? 0) * 1e-6 ? d : 0);
    }
    for (const { labels, value } of this.#counters.values())
      out.push({ labels, samples: [{ value, timestampMs }] });
    return out;
  }
}
