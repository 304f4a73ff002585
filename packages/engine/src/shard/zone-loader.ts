import type { JsonObject } from '@leviathan/protocol';
import type { ZoneDefinition } from '../game/zone.js';
import type { WorldRecord } from '../ipc/state-batch.js';
import type { StateTracker } from './state-tracker.js';
import { ZoneImpl } from './world-objects.js';

/** World records by the zone their key starts with (`<zone>/<entity>`, `<zone>/` for its state). */
export function worldByZone(world: readonly WorldRecord[]): Map<string, WorldRecord[]> {
  const byZone = new Map<string, WorldRecord[]>();
  for (const record of world) {
    const slash = record.key.indexOf('/');
    if (slash < 0) continue;
    const zone = record.key.slice(0, slash);
    let list = byZone.get(zone);
    if (list === undefined) {
      list = [];
      byZone.set(zone, list);
    }
    list.push(record);
  }
  return byZone;
}

/**
 * Builds a zone with its saved state and entities from its world records (the store's, or main's
 * state cache after a restart). Each record's version is told to the tracker, so the next save of
 * it goes above what is stored. A null record is a tombstone.
 */
export function loadZone(
  definition: ZoneDefinition,
  records: readonly WorldRecord[],
  tracker: StateTracker,
): ZoneImpl {
  const zone = new ZoneImpl(definition);
  for (const record of records) {
    tracker.loaded(record.key, record.version);
    if (record.data === null) continue;
    const id = record.key.slice(definition.id.length + 1);
    if (id === '') {
      zone.state = record.data as JsonObject;
      continue;
    }
    const data = record.data as { kind?: string; room?: string | null; data?: JsonObject };
    zone.entities.set(id, {
      id,
      kind: data.kind ?? 'thing',
      room: data.room ?? undefined,
      data: data.data ?? {},
    });
    zone.persistedKeys.add(record.key);
  }
  return zone;
}
