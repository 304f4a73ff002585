import { Aggregate } from '../metrics/aggregate.js';
import type { SeriesSnapshot, SeriesValues } from '../metrics/types.js';
import type { ThresholdPlan } from '../options/plan.js';
import { type ThresholdResult, Thresholds } from '../thresholds/evaluate.js';

export const SUMMARY_FORMAT = 'leviathan-loadgen-summary';
export const SUMMARY_VERSION = 1;

/** One metric series in a summary: printable values, and the raw (mergeable) samples. */
export type SummaryMetric = SeriesValues & { raw: SeriesSnapshot };

/**
 * The end-of-test summary, also the `--summary-export` JSON. `raw` keeps each series mergeable
 * (trends as compressed HDR histograms), so `leviathan-load merge` and `--baseline` work from
 * the samples, never from percentiles.
 */
export interface Summary {
  format: typeof SUMMARY_FORMAT;
  version: typeof SUMMARY_VERSION;
  scenarioFile: string;
  startedAt: string;
  /** Wall time of the test (the longest, when merged). */
  durationMs: number;
  /** Which `--segment`s this covers (several after a merge). */
  segments: Array<{ index: number; count: number }>;
  workers: number;
  metrics: Record<string, SummaryMetric>;
  thresholds: ThresholdResult[];
  thresholdPlans: ThresholdPlan[];
  /** Error message → count, from failed iterations. */
  errors: Record<string, number>;
  /** Self-monitoring and environment warnings. */
  warnings: string[];
  /** Set when the test stopped early: an abortOnFail threshold, a signal, a crashed worker. */
  aborted?: string;
  /** Worst p99 event-loop delay of any generator worker, ms. */
  generatorLagP99Ms: number;
  /** Highest share of all cores the generator process used over an interval. */
  generatorCpuShare: number;
}

export interface SummaryMeta {
  scenarioFile: string;
  startedAt: string;
  durationMs: number;
  segments: Array<{ index: number; count: number }>;
  workers: number;
  thresholdPlans: ThresholdPlan[];
  errors: Record<string, number>;
  warnings: string[];
  aborted?: string;
  generatorLagP99Ms: number;
  generatorCpuShare: number;
}

/** Builds a summary from totals; evaluates the thresholds on them. */
export function buildSummary(agg: Aggregate, meta: SummaryMeta): Summary {
  const raw = agg.toSnapshot();
  const metrics: Record<string, SummaryMetric> = {};
  for (const key of agg.keys()) {
    const values = agg.values(key, meta.durationMs) as SeriesValues;
    metrics[key] = { ...values, raw: raw[key] as SeriesSnapshot };
  }
  const thresholds = new Thresholds(meta.thresholdPlans).evaluate(agg, meta.durationMs);
  const { aborted, ...rest } = meta;
  return {
    format: SUMMARY_FORMAT,
    version: SUMMARY_VERSION,
    ...rest,
    ...(aborted === undefined ? {} : { aborted }),
    metrics,
    thresholds,
  };
}

/** Rebuilds the totals of a summary from its raw series. */
export function aggregateOf(summary: Summary): Aggregate {
  const agg = new Aggregate();
  for (const [key, m] of Object.entries(summary.metrics)) agg.add({ [key]: m.raw }, 'sum');
  return agg;
}
