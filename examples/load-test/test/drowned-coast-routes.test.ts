import { fileURLToPath } from 'node:url';
import { loadWorldSync, type WorldRoom, worldZoneShards } from '@leviathan/mud';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../src/drowned-coast/routes.js';

const world = loadWorldSync(fileURLToPath(new URL('../../mud/world', import.meta.url)));
const shards = worldZoneShards(world);

// The scenario's routes are data about the world: walked here through the world files, so that an
// edit of examples/mud/world that breaks one fails this test, not a load run.
/** The room reached from `from` by `moves`, one exit each. */
function walk(name: string, from: string, moves: readonly string[]): WorldRoom {
  let here = world.rooms.get(from)!;
  for (const move of moves) {
    const exit = here.exits.find((e) => e.direction === move);
    if (exit === undefined) throw new Error(`${name}: no exit ${move} from ${here.id}`);
    here = world.rooms.get(exit.to)!;
  }
  return here;
}

describe.each(ROUTES)('route $name', (route) => {
  const spawn = world.spawn[0]!;
  const last = walk(route.name, spawn, route.moves);

  it('crosses from the spawn zone into a zone of another shard', () => {
    const spawnZone = world.rooms.get(spawn)!.zone;
    expect(last.zone).toBe(route.crossesInto);
    expect(shards[route.crossesInto]).toBeDefined();
    expect(shards[route.crossesInto]).not.toBe(shards[spawnZone]);
  });

  it('ends in the room it names, where an item to take lies', () => {
    expect(last.title).toBe(route.room);
    const items = last.items.map((id) => world.items.get(id)!);
    const item = items.find((i) => i.id === route.item || i.keywords.includes(route.item));
    expect(item?.name).toBe(route.itemName);
    expect(item?.takeable).toBe(true);
  });

  it('leads on, within the zone, to where a creature that fights spawns, one the player may choose to fight', () => {
    const den = walk(route.name, last.id, route.prey.moves);
    expect(den.title).toBe(route.prey.room);
    expect(den.zone).toBe(last.zone);
    const prey = [...world.npcs.values()].find(
      (n) => n.spawn === den.id && (n.keywords.includes(route.prey.word) || n.name.includes(route.prey.word)),
    );
    expect(prey?.combat).toBeDefined();
    // An aggressive creature would start fights of its own with every player passing by.
    expect(prey?.combat?.aggressive).toBe(false);
  });
});

describe('the routes', () => {
  it('give the first pairs items of their own: no two routes trade the same item', () => {
    expect(new Set(ROUTES.map((r) => r.item)).size).toBe(ROUTES.length);
  });
});
