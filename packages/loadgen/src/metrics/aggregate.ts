import type { Histogram } from 'hdr-histogram-js';
import { addEncoded, createHistogram, encodeHistogram } from './histogram.js';
import type { MetricsSnapshot, SeriesSnapshot, SeriesValues, TrendStats } from './types.js';

type Agg =
  | { type: 'trend'; time: boolean; histogram: Histogram }
  | { type: 'counter'; count: number }
  | { type: 'rate'; passes: number; fails: number }
  | { type: 'gauge'; value: number; min: number; max: number };

/**
 * Metrics added up over workers, intervals or processes. Histograms merge bucket by bucket
 * (HdrHistogram `add`), so a p99 of the merge is the p99 of all samples — never an average of
 * percentiles.
 */
export class Aggregate {
  readonly #series = new Map<string, Agg>();

  /**
   * Adds a snapshot. `gauges: 'sum'` adds gauge levels (workers of one interval, or processes);
   * `'latest'` replaces the level and widens min/max (consecutive intervals).
   */
  add(snapshot: MetricsSnapshot, gauges: 'sum' | 'latest' = 'sum'): void {
    for (const key in snapshot) this.#addOne(key, snapshot[key] as SeriesSnapshot, gauges);
  }

  #addOne(key: string, s: SeriesSnapshot, gauges: 'sum' | 'latest'): void {
    const cur = this.#series.get(key);
    if (cur === undefined || cur.type !== s.type) {
      if (s.type === 'trend') {
        const h = createHistogram();
        addEncoded(h, s.histogram);
        this.#series.set(key, { type: 'trend', time: s.time, histogram: h });
      } else {
        this.#series.set(key, { ...s });
      }
      return;
    }
    if (cur.type === 'trend' && s.type === 'trend') addEncoded(cur.histogram, s.histogram);
    else if (cur.type === 'counter' && s.type === 'counter') cur.count += s.count;
    else if (cur.type === 'rate' && s.type === 'rate') {
      cur.passes += s.passes;
      cur.fails += s.fails;
    } else if (cur.type === 'gauge' && s.type === 'gauge') {
      if (gauges === 'sum') {
        cur.value += s.value;
        cur.min += s.min;
        cur.max += s.max;
      } else {
        cur.value = s.value;
        cur.min = Math.min(cur.min, s.min);
        cur.max = Math.max(cur.max, s.max);
      }
    }
  }

  keys(): string[] {
    return [...this.#series.keys()].sort();
  }

  has(key: string): boolean {
    return this.#series.has(key);
  }

  /** The serializable form (histograms encoded): what summaries store and `merge` reads back. */
  toSnapshot(): MetricsSnapshot {
    const out: MetricsSnapshot = {};
    for (const [key, a] of this.#series) {
      out[key] =
        a.type === 'trend'
          ? { type: 'trend', time: a.time, histogram: encodeHistogram(a.histogram) }
          : { ...a };
    }
    return out;
  }

  /** Printable values of one series; `durationMs` turns counts into per-second rates. */
  values(key: string, durationMs: number): SeriesValues | undefined {
    const a = this.#series.get(key);
    if (a === undefined) return undefined;
    switch (a.type) {
      case 'trend':
        return { type: 'trend', time: a.time, values: trendStats(a.histogram) };
      case 'counter':
        return {
          type: 'counter',
          values: { count: a.count, rate: durationMs > 0 ? (a.count * 1000) / durationMs : 0 },
        };
      case 'rate': {
        const n = a.passes + a.fails;
        return {
          type: 'rate',
          values: { rate: n === 0 ? 0 : a.passes / n, passes: a.passes, fails: a.fails },
        };
      }
      case 'gauge':
        return { type: 'gauge', values: { value: a.value, min: a.min, max: a.max } };
    }
  }

  /** Any percentile of a trend series, in display units; undefined for other types or no data. */
  percentile(key: string, p: number): number | undefined {
    const a = this.#series.get(key);
    if (a?.type !== 'trend' || a.histogram.totalCount === 0) return undefined;
    return a.histogram.getValueAtPercentile(p) / 1000;
  }

  destroy(): void {
    for (const a of this.#series.values()) if (a.type === 'trend') a.histogram.destroy();
    this.#series.clear();
  }
}

/** Statistics in display units: stored integers are µs (or thousandths), shown as ms (or units). */
export function trendStats(h: Histogram): TrendStats {
  const s = (v: number) => v / 1000;
  const count = h.totalCount;
  return {
    count,
    avg: count === 0 ? 0 : s(h.mean),
    min: count === 0 ? 0 : s(h.getValueAtPercentile(0)),
    med: s(h.getValueAtPercentile(50)),
    max: s(h.maxValue),
    'p(90)': s(h.getValueAtPercentile(90)),
    'p(95)': s(h.getValueAtPercentile(95)),
    'p(99)': s(h.getValueAtPercentile(99)),
  };
}
