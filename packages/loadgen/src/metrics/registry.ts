import type { Histogram } from 'hdr-histogram-js';
import { MetricTypeConflictError } from '../errors.js';
import { createHistogram, encodeHistogram, record } from './histogram.js';
import { parseSeriesKey } from './series-key.js';
import { TagSets } from './tag-sets.js';
import type { MetricsSnapshot, MetricType } from './types.js';

type Tags = Readonly<Record<string, string>>;

interface Selector {
  key: string;
  tags: Tags;
}

class TrendSeries {
  readonly time: boolean;
  readonly histogram: Histogram = createHistogram();
  count = 0;
  constructor(time: boolean) {
    this.time = time;
  }
}
class CounterSeries {
  count = 0;
}
class RateSeries {
  passes = 0;
  fails = 0;
}
class GaugeSeries {
  value = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  set = false;
}
type Series = TrendSeries | CounterSeries | RateSeries | GaugeSeries;

/**
 * A worker's metrics. Every sample goes into the base series of its metric and into the series
 * of its full tag set (`name{scenario:login,group:::auth}`, capped per metric: see TagSets); a
 * threshold's tag filter (`name{scenario:login}`, a subset of the tags) gets a series of its own,
 * kept exact even past the cap. `snapshot()` hands over the interval's samples (histograms encoded)
 * and starts the next interval: the main thread adds them up, exactly.
 */
export class Registry {
  readonly #series = new Map<string, Series>();
  readonly #types = new Map<string, MetricType>();
  readonly #selectors = new Map<string, Selector[]>();
  readonly #tagSets = new Map<string, TagSets<Series>>();
  readonly #maxTagSets: number;

  /**
   * @param tracked series keys with tags to keep (from thresholds), such as `checks{check:auth}`.
   * @param maxTagSets most distinct tag sets per metric (Options.maxTagSetsPerMetric).
   */
  constructor(tracked: readonly string[] = [], maxTagSets = 1000) {
    this.#maxTagSets = maxTagSets;
    for (const key of tracked) {
      const parsed = parseSeriesKey(key);
      if (parsed === undefined || Object.keys(parsed.tags).length === 0) continue;
      const list = this.#selectors.get(parsed.name) ?? [];
      list.push({ key, tags: parsed.tags });
      this.#selectors.set(parsed.name, list);
    }
  }

  trend(name: string, time = true): Trend {
    this.#declare(name, 'trend');
    return new Trend(this, name, this.#get(name, () => new TrendSeries(time)) as TrendSeries);
  }
  counter(name: string): Counter {
    this.#declare(name, 'counter');
    return new Counter(this, name, this.#get(name, () => new CounterSeries()) as CounterSeries);
  }
  rate(name: string): Rate {
    this.#declare(name, 'rate');
    return new Rate(this, name, this.#get(name, () => new RateSeries()) as RateSeries);
  }
  gauge(name: string): Gauge {
    this.#declare(name, 'gauge');
    return new Gauge(this, name, this.#get(name, () => new GaugeSeries()) as GaugeSeries);
  }

  /** The full-tag-set series of `name` (one per metric, shared by its handles). */
  tagSets(name: string, make: () => Series): TagSets<Series> {
    let sets = this.#tagSets.get(name);
    if (sets === undefined) {
      sets = new TagSets<Series>(name, this.#maxTagSets, make);
      this.#tagSets.set(name, sets);
    }
    return sets;
  }

  /** Whether any tagged series of `name` is kept (handles check once, at creation). */
  hasTagged(name: string): boolean {
    return this.#selectors.has(name);
  }

  /** Tagged series of `name` that the tags select, if any. */
  taggedSeries(
    name: string,
    base: Tags | undefined,
    extra: Tags | undefined,
    make: () => Series,
  ): Series[] | undefined {
    const selectors = this.#selectors.get(name);
    if (selectors === undefined) return undefined;
    let out: Series[] | undefined;
    for (const sel of selectors) {
      let match = true;
      for (const k in sel.tags) {
        const v = extra?.[k] ?? base?.[k];
        if (v !== sel.tags[k]) {
          match = false;
          break;
        }
      }
      if (match) {
        out ??= [];
        out.push(this.#get(sel.key, make));
      }
    }
    return out;
  }

  /** A series with an explicit key (per-check series: `checks{check:name}`). */
  seriesFor(key: string, make: () => Series): Series {
    return this.#get(key, make);
  }

  /**
   * The interval's samples, and a fresh interval. Series without samples are left out. A sample
   * with tags was recorded in its tag set's series only (one histogram write, not two: measured,
   * the second write doubled a tagged sample's cost), so each metric's own series is the sum of
   * its tag sets' and its untagged samples, added here once an interval.
   */
  snapshot(): MetricsSnapshot {
    const out: MetricsSnapshot = {};
    for (const [name, sets] of this.#tagSets) {
      const own = this.#series.get(name);
      if (own !== undefined) for (const member of sets.members()) fold(own, member);
    }
    for (const [key, s] of this.#series) emit(out, key, s);
    for (const sets of this.#tagSets.values()) {
      for (const [key, member] of sets.entries()) {
        // A threshold (or a check's own series) under the same key holds these samples and more.
        if (this.#series.has(key)) emit({}, key, member);
        else emit(out, key, member);
      }
    }
    return out;
  }

  #declare(name: string, type: MetricType): void {
    const existing = this.#types.get(name);
    if (existing !== undefined && existing !== type) throw new MetricTypeConflictError(name, existing, type);
    this.#types.set(name, type);
  }

  #get(key: string, make: () => Series): Series {
    let s = this.#series.get(key);
    if (s === undefined) {
      s = make();
      this.#series.set(key, s);
    }
    return s;
  }
}

/** A distribution: latencies (time, recorded in µs) or any other values (in thousandths). */
export class Trend {
  readonly name: string;
  readonly #registry: Registry;
  readonly #series: TrendSeries;
  readonly #tagged: boolean;
  readonly #sets: TagSets<Series>;
  constructor(registry: Registry, name: string, series: TrendSeries) {
    this.#registry = registry;
    this.name = name;
    this.#series = series;
    this.#tagged = registry.hasTagged(name);
    this.#sets = registry.tagSets(name, () => new TrendSeries(series.time));
  }
  /** Adds a value in display units (milliseconds for a time trend). */
  add(value: number, tags?: Tags, base?: Tags): void {
    this.addScaled(Math.round(value * 1000), base, tags);
  }
  /** Adds microseconds (time trends) or thousandths, already integer: the hot path. */
  addScaled(scaled: number, base?: Tags, extra?: Tags): void {
    const v = Math.max(0, scaled);
    // Into the tag set's series, or the metric's own when untagged: snapshot() adds them up.
    const into = (this.#sets.of(base, extra) as TrendSeries | undefined) ?? this.#series;
    record(into.histogram, v);
    into.count++;
    if (!this.#tagged) return;
    const tagged = this.#registry.taggedSeries(
      this.name,
      base,
      extra,
      () => new TrendSeries(this.#series.time),
    );
    if (tagged !== undefined) {
      for (const s of tagged as TrendSeries[]) {
        record(s.histogram, v);
        s.count++;
      }
    }
  }
}

/** A count that only grows (messages, errors, dropped iterations). */
export class Counter {
  readonly name: string;
  readonly #registry: Registry;
  readonly #series: CounterSeries;
  readonly #tagged: boolean;
  readonly #sets: TagSets<Series>;
  constructor(registry: Registry, name: string, series: CounterSeries) {
    this.#registry = registry;
    this.name = name;
    this.#series = series;
    this.#tagged = registry.hasTagged(name);
    this.#sets = registry.tagSets(name, () => new CounterSeries());
  }
  add(n = 1, tags?: Tags, base?: Tags): void {
    const into = (this.#sets.of(base, tags) as CounterSeries | undefined) ?? this.#series;
    into.count += n;
    if (!this.#tagged) return;
    const tagged = this.#registry.taggedSeries(this.name, base, tags, () => new CounterSeries());
    if (tagged !== undefined) for (const s of tagged as CounterSeries[]) s.count += n;
  }
}

/** A share of true outcomes (checks, failed requests). */
export class Rate {
  readonly name: string;
  readonly #registry: Registry;
  readonly #series: RateSeries;
  readonly #tagged: boolean;
  readonly #sets: TagSets<Series>;
  constructor(registry: Registry, name: string, series: RateSeries) {
    this.#registry = registry;
    this.name = name;
    this.#series = series;
    this.#tagged = registry.hasTagged(name);
    this.#sets = registry.tagSets(name, () => new RateSeries());
  }
  add(ok: boolean, tags?: Tags, base?: Tags): void {
    this.#record(ok, tags, base, undefined);
  }

  /**
   * Records a check's outcome: as `add`, and in the check's own series `checks{check:<name>}`
   * (`key`), which the summary lists whatever the thresholds; each series once, even when a
   * threshold names that same key.
   */
  addCheck(key: string, ok: boolean, tags?: Tags, base?: Tags): void {
    const own = this.#registry.seriesFor(key, () => new RateSeries()) as RateSeries;
    this.#record(ok, tags, base, own);
  }

  #record(ok: boolean, tags: Tags | undefined, base: Tags | undefined, own: RateSeries | undefined): void {
    count((this.#sets.of(base, tags) as RateSeries | undefined) ?? this.#series, ok);
    if (own !== undefined) count(own, ok);
    if (!this.#tagged) return;
    const tagged = this.#registry.taggedSeries(this.name, base, tags, () => new RateSeries());
    if (tagged !== undefined) {
      // A threshold on a check's own key is that series: once.
      for (const s of tagged as RateSeries[]) if (s !== own) count(s, ok);
    }
  }
}

function count(s: RateSeries, ok: boolean): void {
  if (ok) s.passes++;
  else s.fails++;
}

/** A level (VUs, open connections). Summed over workers and processes when merged. */
export class Gauge {
  readonly name: string;
  readonly #series: GaugeSeries;
  constructor(_registry: Registry, name: string, series: GaugeSeries) {
    this.name = name;
    this.#series = series;
  }
  set(value: number): void {
    const s = this.#series;
    s.value = value;
    s.set = true;
    if (value < s.min) s.min = value;
    if (value > s.max) s.max = value;
  }
  get value(): number {
    return this.#series.value;
  }
}

/** Adds a tag set's interval samples into its metric's own series. */
function fold(into: Series, from: Series): void {
  if (into instanceof TrendSeries && from instanceof TrendSeries) {
    if (from.count === 0) return;
    into.histogram.add(from.histogram);
    into.count += from.count;
  } else if (into instanceof CounterSeries && from instanceof CounterSeries) {
    into.count += from.count;
  } else if (into instanceof RateSeries && from instanceof RateSeries) {
    into.passes += from.passes;
    into.fails += from.fails;
  }
}

/** Writes a series' interval into `out` (when it has samples) and starts its next interval. */
function emit(out: MetricsSnapshot, key: string, s: Series): void {
  if (s instanceof TrendSeries) {
    if (s.count === 0) return;
    out[key] = { type: 'trend', time: s.time, histogram: encodeHistogram(s.histogram) };
    s.histogram.reset();
    s.count = 0;
  } else if (s instanceof CounterSeries) {
    if (s.count === 0) return;
    out[key] = { type: 'counter', count: s.count };
    s.count = 0;
  } else if (s instanceof RateSeries) {
    if (s.passes + s.fails === 0) return;
    out[key] = { type: 'rate', passes: s.passes, fails: s.fails };
    s.passes = 0;
    s.fails = 0;
  } else if (s.set) {
    // A gauge is a level: sent every interval once set; min/max over the interval.
    out[key] = {
      type: 'gauge',
      value: s.value,
      min: Math.min(s.min, s.value),
      max: Math.max(s.max, s.value),
    };
    s.min = s.value;
    s.max = s.value;
  }
}
