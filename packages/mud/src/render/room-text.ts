import type { RoomMessage } from '@leviathan/protocol';
import { capitalize, listJoin } from './text.js';

/**
 * A room as a text client shows it: title, description, exits, items, who is here (in a crowd, a
 * few by name and the count of the others: "Here: Ada, Bram and 412 others."). Built from the
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
  const names = room.occupants.map((o) => o.name);
  const others = (room.occupantCount ?? names.length) - names.length;
  if (others > 0) {
    // A crowd: a few by name, the rest counted.
    lines.push(`Here: ${listJoin([...names, `${others} ${others === 1 ? 'other' : 'others'}`])}.`);
  } else if (names.length > 0) {
    lines.push(`${capitalize(listJoin(names))} ${names.length === 1 ? 'is' : 'are'} here.`);
  }
  return lines.join('\n');
}
