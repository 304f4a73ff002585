/**
 * The deterministic zone → shard map, computed the same way in main, every gateway and every
 * shard: an explicit `zoneShards` entry first, else FNV-1a of the zone id modulo the shard count.
 * FNV-1a because it is stable across processes and versions (unlike any runtime hash) and cheap.
 */
export function shardOfZone(
  zone: string,
  shards: number,
  explicit: Readonly<Record<string, number>> = {},
): number {
  const fixed = explicit[zone];
  if (fixed !== undefined && Number.isInteger(fixed) && fixed >= 0 && fixed < shards) return fixed;
  return fnv1a(zone) % shards;
}

/** 32-bit FNV-1a over UTF-16 code units. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The whole map for a game's zones, as a plain object (structured-clone safe). */
export function buildZoneMap(
  zones: readonly string[],
  shards: number,
  explicit: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const map: Record<string, number> = {};
  for (const zone of zones) map[zone] = shardOfZone(zone, shards, explicit);
  return map;
}
