import type { JsonObject } from '@leviathan/protocol';
import type { GameDefinition } from '../game/game-definition.js';
import type { WorldRecord } from '../ipc/state-batch.js';
import type { StateTracker } from './state-tracker.js';
import { ZoneImpl } from './world-objects.js';

/**
 * Fills `zones` with the zones a shard owns, with their saved state and entities from the world records (the store's
 * at first start, main's state cache after a restart). Each record's version is told to the
 * tracker, so the next save of it goes above what is stored. A null record is a tombstone.
 */
export function loadZones(
  game: GameDefinition,
  zoneMap: Readonly<Record<string, number>>,
  shard: number,
  world: readonly WorldRecord[],
  tracker: StateTracker,
  zones: Map<string, ZoneImpl>,
): void {
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
  for (const definition of game.zones) {
    if (zoneMap[definition.id] !== shard) continue;
    const zone = new ZoneImpl(definition);
    for (const record of byZone.get(definition.id) ?? []) {
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
    zones.set(zone.id, zone);
  }
}
