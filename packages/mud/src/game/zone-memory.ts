import type { Zone } from '@leviathan/engine';

/**
 * What the MUD keeps in a zone's own state (`zone.state`, which the engine persists as the world
 * record `<zone>/` when the zone is marked dirty, and restores before `onZoneLoad`). The floor
 * items and NPCs themselves are zone entities; this is what is true of the zone as a whole, kept
 * here rather than in a shard's memory so that a restart (of the server, or of one crashed shard)
 * neither places the world's items a second time nor forgets when a taken one comes back.
 */
export interface MudZoneState {
  /**
   * Set once the world's items were placed in the zone. From then on the zone's entities are the
   * truth: a zone whose placed items were all taken is bare after a restart, not refilled (its
   * items come back one by one, by their respawn times).
   */
  itemsPlaced?: true;
  /**
   * World-placed items taken from their room, by `room|item`: when each comes back, in ms since
   * the epoch. Absolute times, so the clock runs on through a restart.
   */
  respawnAt?: Record<string, number>;
}

/** The MUD's state of `zone` (typed view of `zone.state`). */
export function zoneMemory(zone: Zone): MudZoneState {
  return zone.state as unknown as MudZoneState;
}

/**
 * Starts the clock of a world-placed item taken from its room (`home`): it comes back at `at`
 * (ms since the epoch). A clock already running is kept, so a second copy taken later does not
 * push the first one's return back. The caller marks the zone dirty.
 */
export function startRespawnClock(zone: Zone, home: string, item: string, at: number): void {
  const memory = zoneMemory(zone);
  const due = memory.respawnAt ?? {};
  due[respawnKey(home, item)] ??= at;
  memory.respawnAt = due;
}

/** The key of a placed item's respawn clock: `room|item`. */
export function respawnKey(room: string, item: string): string {
  return `${room}|${item}`;
}
