import { fileURLToPath } from 'node:url';
import { loadWorld } from '@leviathan/mud';
import { describe, expect, it } from 'vitest';

const WORLD_DIR = fileURLToPath(new URL('../world', import.meta.url));

describe('the Drowned Coast', () => {
  it('loads, and is as big as the issue asks: 3+ zones on 2+ shards, 60+ rooms, items and NPCs', async () => {
    const world = await loadWorld(WORLD_DIR);
    expect(world.zones.size).toBeGreaterThanOrEqual(3);
    expect(new Set([...world.zones.values()].map((z) => z.shard)).size).toBeGreaterThanOrEqual(2);
    expect(world.rooms.size).toBeGreaterThanOrEqual(60);
    expect(world.items.size).toBeGreaterThan(10);
    expect(world.npcs.size).toBeGreaterThan(10);
  });

  it('lets a walker reach every room from the spawn point, and walk back', async () => {
    const world = await loadWorld(WORLD_DIR);
    const reach = (from: string, reverse: boolean) => {
      const seen = new Set([from]);
      const queue = [from];
      while (queue.length > 0) {
        const id = queue.shift()!;
        for (const room of world.rooms.values()) {
          for (const exit of room.exits) {
            const [a, b] = reverse ? [exit.to, room.id] : [room.id, exit.to];
            if (a === id && !seen.has(b)) {
              seen.add(b);
              queue.push(b);
            }
          }
        }
      }
      return seen;
    };
    const spawn = world.spawn[0]!;
    expect([...world.rooms.keys()].filter((r) => !reach(spawn, false).has(r))).toEqual([]);
    expect([...world.rooms.keys()].filter((r) => !reach(spawn, true).has(r))).toEqual([]);
  });
});
