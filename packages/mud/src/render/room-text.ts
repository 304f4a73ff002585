import type { RoomMessage } from '@leviathan/protocol';
import { capitalize, listJoin } from './text.js';

/**
 * A room as a text client shows it: title, description, exits, items, who is here. Built from the
 * same RoomMessage that graphical clients get, so the two never disagree.
 */
export function renderRoom(room: RoomMessage): string {
  const lines = [room.title, room.description, ''];
  lines.push(
    room.exits.length === 0
      ? 'There is no obvious way out.'
      : `Exits: ${room.exits.map((e) => e.direction).join(', ')}.`,
  );
  if (room.items.length > 0) lines.push(`You see ${listJoin(room.items.map((i) => i.name))} here.`);
  if (room.occupants.length > 0) {
    const names = room.occupants.map((o) => o.name);
    lines.push(`${capitalize(listJoin(names))} ${names.length === 1 ? 'is' : 'are'} here.`);
  }
  return lines.join('\n');
}
