import { histogramBuckets, quantileBetween } from './histogram-quantile.js';

const TICK = 'leviathan_tick_duration_seconds';

/** The engine's tick duration p99 between two /metrics scrapes (every shard), and how many ticks that was. */
export function tickP99Between(before: string, after: string): { p99Ms: number; ticks: number } {
  const b = histogramBuckets(before, TICK);
  const a = histogramBuckets(after, TICK);
  const p99 = quantileBetween(b, a, 0.99);
  if (p99 === undefined) throw new Error('the engine ran no tick in the measured window');
  const inf = Number.POSITIVE_INFINITY;
  return { p99Ms: p99 * 1000, ticks: (a.get(inf) ?? 0) - (b.get(inf) ?? 0) };
}
