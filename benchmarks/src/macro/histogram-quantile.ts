import { quantileBetween as bucketsQuantileBetween } from '../../../packages/engine/src/dashboard/engine-reading.js';

/** Cumulative bucket counts of one Prometheus histogram, summed over its other labels. */
export function histogramBuckets(text: string, name: string): Map<number, number> {
  const buckets = new Map<number, number>();
  const re = new RegExp(`^${name}_bucket\\{([^}]*)\\} (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) {
    const le = /(?:^|,)le="([^"]+)"/.exec(m[1] as string)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(m[2]));
  }
  return buckets;
}

/**
 * The q-quantile of the observations made between two scrapes (`after − before`, bucket by
 * bucket), interpolated linearly inside its bucket as PromQL's histogram_quantile does: the
 * engine's own reading of two `/metrics` samples (dashboard/engine-reading.ts), which the
 * dashboard and `leviathan top` use. Undefined without observations.
 */
export function quantileBetween(
  before: Map<number, number>,
  after: Map<number, number>,
  q: number,
): number | undefined {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const buckets = (counts: Map<number, number>) => ({
    bounds,
    counts: bounds.map((b) => counts.get(b) ?? 0),
  });
  return bucketsQuantileBetween(q, buckets(before), buckets(after)) ?? undefined;
}
