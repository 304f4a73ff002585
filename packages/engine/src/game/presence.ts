import type { Priority } from './context.js';

/** Someone arriving in or leaving a room, told with `ctx.presence`. */
export interface PresenceEvent {
  readonly event: 'arrive' | 'depart';
  /** Who: a player's name, or an NPC's as players read it. A player is never told about itself. */
  readonly name: string;
  /** @default 'player' */
  readonly kind?: 'player' | 'npc';
  /** The direction of the move, where there is one. */
  readonly direction?: string | undefined;
  /**
   * The line text clients read when the event is told on its own ("Ann arrives from the east.").
   * Without it only the structured `presence` is sent (to clients with the `events` capability).
   */
  readonly text?: string | undefined;
  /** @default 'normal' */
  readonly priority?: Priority;
}

/** The arrivals (or departures) of one kind in one room during one tick, told as one message. */
export interface PresenceSummary {
  readonly zone: string;
  readonly room: string;
  readonly event: 'arrive' | 'depart';
  readonly kind: 'player' | 'npc';
  /** How many arrived (or left). */
  readonly count: number;
  /** The first of them, in the order they came: `presence.summaryNames` at most. */
  readonly names: readonly string[];
  /** The direction they all came from or went, when there is one and it is the same for all. */
  readonly direction: string | undefined;
}

/**
 * How `ctx.presence` tells a room (`GameDefinition.presence`). Events are collected per room
 * during the tick and sent at its end: one by one while there are few, as one summary per kind
 * of event past `summaryAbove`, so a crowd at a spawn point costs each player present one
 * message per tick instead of one per arrival; and after a summary, the room's next events wait
 * `summaryEveryTicks`, so a crowd that keeps coming is told about once a second.
 */
export interface PresenceOptions {
  /**
   * Events of one kind (arrivals or departures, of players or of NPCs) in one room and tick past
   * which they are told as one summary.
   * @default 3
   */
  readonly summaryAbove?: number;
  /** Names a summary carries (the rest are counted). @default 3 */
  readonly summaryNames?: number;
  /**
   * Ticks a room's events wait after it was sent a summary, gathering into the next one: a crowd
   * that keeps arriving is told in one line per this many ticks, not one per tick. 1 sends every
   * tick's events at its end.
   * @default 10 (a second at 10 Hz)
   */
  readonly summaryEveryTicks?: number;
  /**
   * The line text clients read for a summary (sent when at least one of the events had a
   * `text`); undefined sends none.
   * @default "Ann, Bob, Cy and 9 others arrive." (`defaultPresenceSummaryText`)
   */
  readonly summaryText?: (summary: PresenceSummary) => string | undefined;
  /** The `channel` of the `text` messages presence sends. @default 'room' */
  readonly channel?: string;
}

/** "Ann, Bob, Cy and 9 others arrive." / "Ann and Bob leave." */
export function defaultPresenceSummaryText(summary: PresenceSummary): string {
  const others = summary.count - summary.names.length;
  const parts =
    others > 0 ? [...summary.names, `${others} ${others === 1 ? 'other' : 'others'}`] : [...summary.names];
  const who =
    parts.length === 1
      ? (parts[0] as string)
      : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  const line = `${who} ${summary.event === 'arrive' ? 'arrive' : 'leave'}.`;
  return line.charAt(0).toUpperCase() + line.slice(1);
}
