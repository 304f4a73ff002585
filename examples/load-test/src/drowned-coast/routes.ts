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
  },
  {
    name: 'forest-mushroom',
    // High Street, Temple Steps, North Gate, then the Edge of the Thornwood, Forest Path.
    moves: ['north', 'north', 'north', 'north', 'north', 'east'],
    crossesInto: 'forest',
    room: 'The Brook',
    item: 'mushroom',
    itemName: 'a pale mushroom',
  },
  {
    name: 'marsh-eel',
    moves: ['west', 'west', 'south', 'west', 'west', 'west', 'west', 'south'],
    crossesInto: 'marsh',
    room: 'The Eel Traps',
    item: 'eel',
    itemName: 'a slippery eel',
  },
  {
    name: 'forest-feather',
    moves: ['north', 'north', 'north', 'north', 'north', 'east', 'north', 'up'],
    crossesInto: 'forest',
    room: 'The Mill Loft',
    item: 'feather',
    itemName: 'an owl feather',
  },
];

export function routeOf(pairIndex: number): Route {
  return ROUTES[pairIndex % ROUTES.length] as Route;
}
