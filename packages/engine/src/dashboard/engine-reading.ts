import { type MetricFamily, parseExposition } from '../metrics/parse-exposition.js';

/** A histogram's cumulative buckets: upper bounds ascending (the last is +Inf) and their counts. */
export interface Buckets {
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
}

/** Everything a node-mode dashboard reads from one engine's `/metrics`, as totals at one moment. */
export interface EngineReading {
  readonly players: number | null;
  readonly rssBytes: number | null;
  readonly bytesPerPlayer: number | null;
  readonly eventLoopLagSeconds: number | null;
  readonly pendingDirty: number | null;
  readonly tickPeriodSeconds: number | null;
  /** Counters (totals since the engine started). */
  readonly commands: number | null;
  readonly bytesReceived: number | null;
  readonly bytesSent: number | null;
  readonly dropped: number | null;
  readonly dbErrors: number | null;
  readonly commandBuckets: Buckets | null;
  readonly dbQueryBuckets: Buckets | null;
  readonly shards: ReadonlyMap<string, ShardReading>;
  readonly zones: ReadonlyArray<{ readonly shard: string; readonly zone: string; readonly players: number }>;
}

export interface ShardReading {
  readonly up: number | null;
  readonly players: number | null;
  readonly lastTickAgeSeconds: number | null;
  readonly overruns: number | null;
  readonly tickBuckets: Buckets | null;
}

/** Reads the figures' inputs out of an exposition text (`/metrics`). Throws on text that is not one. */
export function readEngineExposition(text: string): EngineReading {
  const families = parseExposition(text);
  const samples = (name: string) => families.get(name)?.samples ?? [];
  const shards = new Map<string, ShardReading>();
  const shardIds = new Set<string>();
  for (const s of samples('leviathan_shard_up'))
    if (s.labels.shard !== undefined) shardIds.add(s.labels.shard);
  for (const s of samples('leviathan_shard_players'))
    if (s.labels.shard !== undefined) shardIds.add(s.labels.shard);
  for (const shard of [...shardIds].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))) {
    const only = (l: Readonly<Record<string, string>>) => l.shard === shard;
    shards.set(shard, {
      up: aggregate(families.get('leviathan_shard_up'), 'max', only),
      players: aggregate(families.get('leviathan_shard_players'), 'sum', only),
      lastTickAgeSeconds: aggregate(families.get('leviathan_shard_last_tick_age_seconds'), 'max', only),
      overruns: aggregate(families.get('leviathan_tick_overruns_total'), 'sum', only),
      tickBuckets: buckets(families.get('leviathan_tick_duration_seconds'), only),
    });
  }
  const zones = samples('leviathan_zone_players')
    .filter((s) => s.labels.shard !== undefined && s.labels.zone !== undefined && s.value > 0)
    .map((s) => ({ shard: s.labels.shard!, zone: s.labels.zone!, players: s.value }));
  return {
    players: aggregate(families.get('leviathan_connected_players'), 'sum'),
    rssBytes: aggregate(families.get('leviathan_rss_bytes'), 'max'),
    bytesPerPlayer: aggregate(families.get('leviathan_bytes_per_player'), 'max'),
    eventLoopLagSeconds: aggregate(families.get('leviathan_event_loop_lag_seconds'), 'max'),
    pendingDirty: aggregate(families.get('leviathan_db_pending_dirty'), 'sum'),
    tickPeriodSeconds: aggregate(families.get('leviathan_tick_period_seconds'), 'max'),
    commands: aggregate(families.get('leviathan_command_duration_seconds'), 'sum', undefined, '_count'),
    bytesReceived: aggregate(families.get('leviathan_bytes_received_total'), 'sum'),
    bytesSent: aggregate(families.get('leviathan_bytes_sent_total'), 'sum'),
    dropped: aggregate(families.get('leviathan_messages_dropped_total'), 'sum'),
    dbErrors: aggregate(families.get('leviathan_db_errors_total'), 'sum'),
    commandBuckets: buckets(families.get('leviathan_command_duration_seconds')),
    dbQueryBuckets: buckets(families.get('leviathan_db_query_duration_seconds')),
    shards,
    zones,
  };
}

type LabelFilter = (labels: Readonly<Record<string, string>>) => boolean;

/**
 * Sum or max of a family's samples (those named `family + suffix`, passing `filter`); null when
 * the family is absent or has no such sample: absent is missing, not zero.
 */
function aggregate(
  family: MetricFamily | undefined,
  how: 'sum' | 'max',
  filter?: LabelFilter,
  suffix = '',
): number | null {
  if (family === undefined) return null;
  const name = family.name + suffix;
  let result: number | null = null;
  for (const s of family.samples) {
    if (s.name !== name && !(suffix === '' && s.name === `${family.name}_total`)) continue;
    if (filter !== undefined && !filter(s.labels)) continue;
    result = result === null ? s.value : how === 'sum' ? result + s.value : Math.max(result, s.value);
  }
  return result;
}

/** A histogram's buckets summed over its other labels (as `sum by (le)` does). */
function buckets(family: MetricFamily | undefined, filter?: LabelFilter): Buckets | null {
  if (family === undefined) return null;
  const byBound = new Map<number, number>();
  for (const s of family.samples) {
    if (s.name !== `${family.name}_bucket` || s.labels.le === undefined) continue;
    if (filter !== undefined && !filter(s.labels)) continue;
    const bound = s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + s.value);
  }
  if (byBound.size === 0) return null;
  const bounds = [...byBound.keys()].sort((a, b) => a - b);
  return { bounds, counts: bounds.map((b) => byBound.get(b)!) };
}

/**
 * The `q` quantile of the observations between two readings of one histogram, interpolated
 * within a bucket as Prometheus's `histogram_quantile` does; null when nothing was observed
 * (Prometheus says NaN: no data).
 */
export function quantileBetween(q: number, before: Buckets | null, after: Buckets | null): number | null {
  if (after === null) return null;
  const base = before !== null && sameBounds(before, after) ? before.counts : undefined;
  const counts = after.counts.map((c, i) => c - (base?.[i] ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (!(total > 0)) return null;
  const rank = q * total;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i]! < rank) continue;
    const upper = after.bounds[i]!;
    const lower = i === 0 ? 0 : after.bounds[i - 1]!;
    if (upper === Number.POSITIVE_INFINITY) return lower;
    const below = i === 0 ? 0 : counts[i - 1]!;
    const inBucket = counts[i]! - below;
    if (inBucket <= 0) return upper;
    return lower + (upper - lower) * ((rank - below) / inBucket);
  }
  return null;
}

function sameBounds(a: Buckets, b: Buckets): boolean {
  return a.bounds.length === b.bounds.length && a.bounds.every((bound, i) => bound === b.bounds[i]);
}
