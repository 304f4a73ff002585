import { Aggregate } from '../metrics/aggregate.js';
import { buildSummary, type Summary } from './summary.js';

/**
 * Merges the summaries of several generator processes (or machines) that ran segments of one
 * test at the same time: histograms added bucket by bucket, counters and rates summed, gauges
 * summed (levels of concurrent processes), the longest duration kept, thresholds re-evaluated on
 * the merged samples. Percentiles are never averaged.
 */
export function mergeSummaries(summaries: readonly Summary[]): Summary {
  if (summaries.length === 0) throw new RangeError('nothing to merge');
  const first = summaries[0] as Summary;
  const agg = new Aggregate();
  const errors: Record<string, number> = {};
  for (const s of summaries) {
    for (const [key, m] of Object.entries(s.metrics)) agg.add({ [key]: m.raw }, 'sum');
    for (const [msg, n] of Object.entries(s.errors)) errors[msg] = (errors[msg] ?? 0) + n;
  }
  const aborted = summaries.map((s) => s.aborted).filter((a): a is string => a !== undefined);
  const summary = buildSummary(agg, {
    scenarioFile: first.scenarioFile,
    startedAt: summaries.map((s) => s.startedAt).sort()[0] as string,
    durationMs: Math.max(...summaries.map((s) => s.durationMs)),
    segments: summaries.flatMap((s) => s.segments),
    workers: summaries.reduce((n, s) => n + s.workers, 0),
    thresholdPlans: first.thresholdPlans,
    errors,
    warnings: [...new Set(summaries.flatMap((s) => s.warnings))],
    ...(aborted.length > 0 ? { aborted: aborted.join('; ') } : {}),
    generatorLagP99Ms: Math.max(...summaries.map((s) => s.generatorLagP99Ms)),
    generatorCpuShare: Math.max(...summaries.map((s) => s.generatorCpuShare)),
  });
  agg.destroy();
  return summary;
}
