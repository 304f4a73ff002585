import type { NodeRow, ShardRow, ZoneRow } from '../../../dashboard/dashboard-snapshot.js';
import type { TopSort } from './view-state.js';

/** Larger first, missing last. */
const descending = (a: number | null, b: number | null): number => (b ?? -1) - (a ?? -1);

/**
 * The rows in the chosen order; ties fall back to the name so rows do not swap places from one
 * sample to the next. "load" is what makes each kind of row busy: a node's command latency, a
 * shard's tick load, a zone's players (a zone has no other measure).
 */
export function sortNodes(rows: readonly NodeRow[], sort: TopSort): NodeRow[] {
  const byName = (a: NodeRow, b: NodeRow) => a.node.localeCompare(b.node, 'en', { numeric: true });
  return [...rows].sort((a, b) => {
    if (sort === 'players') return descending(a.players, b.players) || byName(a, b);
    if (sort === 'load') return descending(a.latencyP99Seconds, b.latencyP99Seconds) || byName(a, b);
    return byName(a, b);
  });
}

export function sortShards(rows: readonly ShardRow[], sort: TopSort): ShardRow[] {
  const byName = (a: ShardRow, b: ShardRow) =>
    a.node.localeCompare(b.node, 'en', { numeric: true }) ||
    a.shard.localeCompare(b.shard, 'en', { numeric: true });
  return [...rows].sort((a, b) => {
    if (sort === 'players') return descending(a.players, b.players) || byName(a, b);
    if (sort === 'load') return descending(a.tickLoad, b.tickLoad) || byName(a, b);
    return byName(a, b);
  });
}

export function sortZones(rows: readonly ZoneRow[], sort: TopSort): ZoneRow[] {
  const byName = (a: ZoneRow, b: ZoneRow) =>
    a.zone.localeCompare(b.zone, 'en', { numeric: true }) ||
    a.node.localeCompare(b.node, 'en', { numeric: true });
  return [...rows].sort((a, b) => (sort === 'name' ? byName(a, b) : b.players - a.players || byName(a, b)));
}
