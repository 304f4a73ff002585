import { paint } from './ansi.js';

const CHANNELS = new Set(['say', 'emote', 'tell', 'shout', 'broadcast']);

/**
 * Colours the text of a server message for a client that has colour on: room titles and exits,
 * talk by channel, errors. `roomTitle` is the title of the last `room` message: a room's text (on
 * a move, or the reply to `look`) follows its `room` and starts with that title, where arrivals
 * and other notices share the channel `room` but not the title.
 */
export function colourForLine(
  msg: { type?: unknown; channel?: unknown },
  text: string,
  roomTitle: string | undefined,
): string {
  if (msg.type === 'error' || msg.type === 'auth-error') return paint(text, 'error');
  if (msg.type === 'bye') return paint(text, 'system');
  if (typeof msg.channel === 'string' && CHANNELS.has(msg.channel)) return paint(text, msg.channel as 'say');
  return roomTitle !== undefined && text.startsWith(`${roomTitle}\n`) ? colourRoom(text) : text;
}

/** The room text of renderRoom: its title line, then its exits line ("Exits: ..." or none). */
function colourRoom(text: string): string {
  const lines = text.split('\n');
  lines[0] = paint(lines[0]!, 'roomTitle');
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.startsWith('Exits: ') || lines[i] === 'There is no obvious way out.') {
      lines[i] = paint(lines[i]!, 'exits');
      break;
    }
  }
  return lines.join('\n');
}
