import type { OocLine } from '../game/ooc-history.js';

/** How a line of the `ooc` channel reads, live and in the history. */
export function oocLine(from: string, text: string): string {
  return `[OOC] ${from}: ${text}`;
}

/**
 * The history as a player reads it, oldest first, each line with its time in UTC (the server does
 * not know the player's time zone): `HH:MM`, with the date for lines of an earlier day.
 */
export function renderOocHistory(lines: readonly OocLine[], now: number): string {
  if (lines.length === 0) return 'Nothing has been said on the OOC channel yet. Say something: ooc <text>';
  const today = new Date(now).toISOString().slice(0, 10);
  const rows = lines.map((l) => {
    const iso = new Date(l.at).toISOString();
    const day = iso.slice(0, 10);
    const time = iso.slice(11, 16);
    return `${day === today ? time : `${day} ${time}`} ${oocLine(l.from, l.text)}`;
  });
  return [
    `The OOC channel, last ${lines.length === 1 ? 'line' : `${lines.length} lines`} (UTC):`,
    ...rows,
  ].join('\n');
}
