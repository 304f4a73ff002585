import { fileURLToPath } from 'node:url';
import { loadWorldSync, worldZoneShards } from '@leviathan/mud';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../src/drowned-coast/routes.js';

const world = loadWorldSync(fileURLToPath(new URL('../../mud/world', import.meta.url)));
const shards = worldZoneShards(world);

// The scenario's routes are data about the world: walked here through the world files, so that an
// edit of examples/mud/world that breaks one fails this test, not a load run.
describe.each(ROUTES)('route $name', (route) => {
  const spawn = world.spawn[0]!;
  const rooms = [spawn];
  for (const move of route.moves) {
    const here = world.rooms.get(rooms.at(-1)!)!;
    const exit = here.exits.find((e) => e.direction === move);
    if (exit === undefined) throw new Error(`${route.name}: no exit ${move} from ${here.id}`);
    rooms.push(exit.to);
  }
  const last = world.rooms.get(rooms.at(-1)!)!;

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
});

describe('the routes', () => {
  it('give the first pairs items of their own: no two routes trade the same item', () => {
    expect(new Set(ROUTES.map((r) => r.item)).size).toBe(ROUTES.length);
  });
});
