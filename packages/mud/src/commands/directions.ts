import { DIRECTIONS, type Direction } from '../world/world-types.js';

/** The short forms players type for each direction. */
export const DIRECTION_ALIASES: Readonly<Record<Direction, readonly string[]>> = {
  north: ['n'],
  south: ['s'],
  east: ['e'],
  west: ['w'],
  northeast: ['ne'],
  northwest: ['nw'],
  southeast: ['se'],
  southwest: ['sw'],
  up: ['u'],
  down: ['d'],
  in: ['enter'],
  out: ['leave', 'exit'],
};

const LOOKUP = new Map<string, Direction>();
for (const d of DIRECTIONS) {
  LOOKUP.set(d, d);
  for (const a of DIRECTION_ALIASES[d]) LOOKUP.set(a, d);
}

/** `n`, `north`, `North` → `north`; undefined for anything else. */
export function parseDirection(word: string): Direction | undefined {
  return LOOKUP.get(word.trim().toLowerCase());
}
