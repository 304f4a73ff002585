/**
 * Where the pairs walk: from the spawn (Fishmarket Square, Saltmere Harbour, shard 0 in
 * examples/mud/world) across a zone border into a zone of shard 1, to a room with an item to
 * trade. Pair n takes route n modulo their count, so up to four pairs never reach for the same
 * item; more pairs share items, and a taken item is waited for (see steps/trade.ts).
 * test/drowned-coast-routes.test.ts walks each one through the world files, so a change of the
 * world that breaks a route fails a test rather than a load run.
 */
export interface Route {
  name: string;
  /** Directions from the spawn, one move each. */
  moves: readonly string[];
  /** The zone the walk crosses into (on another shard than the spawn's). */
  crossesInto: string;
  /** Title of the last room, where the pair trades. */
  room: string;
  /** The word that names the room's item in `get` and `give`. */
  item: string;
  /** The item's name as the inventory lists it. */
  itemName: string;
  /** Where the pair fights after the trade (steps/fight.ts). */
  prey: Prey;
}

/** A creature of the route's zone that fights, and the way to the room where it spawns. */
export interface Prey {
  /** Directions from the route's last room to the creature's spawn room. */
  moves: readonly string[];
  /** Title of that room. */
  room: string;
  /** The word that names it in `consider` and `kill`. */
  word: string;
}

export const ROUTES: readonly Route[] = [
  {
    name: 'marsh-peat',
    // Lantern Inn, Ropewalk, Boatyard, Saltpans, then the Causeway (the Reedmarsh), Reedbeds.
    moves: ['west', 'west', 'south', 'west', 'west', 'west', 'south'],
    crossesInto: 'marsh',
    room: 'The Peat Cuttings',
    item: 'peat',
    itemName: 'a brick of peat',
    prey: { moves: ['north'], room: 'The Reedbeds', word: 'frog' },
  },
  {
    name: 'forest-mushroom',
    // High Street, Temple Steps, North Gate, then the Edge of the Thornwood, Forest Path.
    moves: ['north', 'north', 'north', 'north', 'north', 'east'],
    crossesInto: 'forest',
    room: 'The Brook',
    item: 'mushroom',
    itemName: 'a pale mushroom',
    prey: { moves: ['west', 'north'], room: 'The Clearing', word: 'fox' },
  },
  {
    name: 'marsh-eel',
    moves: ['west', 'west', 'south', 'west', 'west', 'west', 'west', 'south'],
    crossesInto: 'marsh',
    room: 'The Eel Traps',
    item: 'eel',
    itemName: 'a slippery eel',
    prey: { moves: ['north', 'west', 'south'], room: 'The Mire', word: 'conger' },
  },
  {
    name: 'forest-feather',
    moves: ['north', 'north', 'north', 'north', 'north', 'east', 'north', 'up'],
    crossesInto: 'forest',
    room: 'The Mill Loft',
    item: 'feather',
    itemName: 'an owl feather',
    prey: { moves: ['down', 'south', 'west', 'north'], room: 'The Clearing', word: 'fox' },
  },
];

export function routeOf(pairIndex: number): Route {
  return ROUTES[pairIndex % ROUTES.length] as Route;
}
