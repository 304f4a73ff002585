import type { CommandContext, Player } from '@leviathan/engine';

/**
 * How the MUD presents a crowd. A room view lists everyone up to ROOM_VIEW_LISTS_ALL others; past
 * it, it names ROOM_VIEW_NAMES of them (the longest there) and counts the rest ("Here: Ada, Bram
 * and 412 others."), so a `look` costs the same in a crowd as in an empty room.
 */
export const ROOM_VIEW_LISTS_ALL = 10;
export const ROOM_VIEW_NAMES = 5;
/**
 * Players in a room from which it is a crowd: talk to the room goes out with low priority there
 * (the first shed when a player is sent more than the engine's budget in a tick), as the hubbub it is.
 */
export const CROWD = 50;
/** Players on a page of `who`. */
export const WHO_PAGE = 20;
/**
 * Players online under which `who` is always up to date; from it on, the sorted list is made
 * again once a second at most (newcomers show within a second).
 */
export const WHO_FRESH_UNDER = 500;

/**
 * The players of a room a command may mean by `word`: everyone there in a small room (so the start
 * of a name works), only the one of exactly that name in a crowd (a lookup, not a scan of
 * thousands).
 */
export function playersToName(ctx: CommandContext, room: string, word: string): Iterable<Player> {
  const here = ctx.here.occupants(room);
  if (here.size <= ROOM_VIEW_LISTS_ALL + 1) return here;
  const exact = ctx.findPlayer(word.trim());
  return exact !== undefined && exact.zone === ctx.here.id && exact.room === room ? [exact] : [];
}
