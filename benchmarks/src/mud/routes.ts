import type { World } from '@leviathan/mud';

/** A room the benchmark's players walk to, and how. */
export interface BenchRoute {
  /** Full room id (`marsh:reedbeds`). */
  room: string;
  /** Directions from the spawn, one move each. */
  moves: string[];
}

/**
 * Every room of the zones on another shard than the spawn's, each with the shortest walk from the
 * spawn (breadth first over the exits): each walk hands its character to the other shard and
 * back (`recall`). Rooms where an aggressive creature spawns are left out (the barrow-wight
 * would fight everyone who arrives, and win): a player's fights are its own choice here.
 */
export function benchRoutes(world: World): BenchRoute[] {
  const spawn = world.spawn[0] as string;
  const home = world.rooms.get(spawn);
  if (home === undefined) throw new Error(`mud: the spawn ${spawn} is not a room`);
  const spawnShard = world.zones.get(home.zone)?.shard ?? 0;
  const dangerous = new Set<string>();
  for (const npc of world.npcs.values()) if (npc.combat?.aggressive) dangerous.add(npc.spawn);
  const paths = new Map<string, string[]>([[spawn, []]]);
  const queue = [spawn];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i] as string;
    for (const exit of world.rooms.get(at)?.exits ?? []) {
      if (paths.has(exit.to) || dangerous.has(exit.to)) continue;
      paths.set(exit.to, [...(paths.get(at) as string[]), exit.direction]);
      queue.push(exit.to);
    }
  }
  const routes: BenchRoute[] = [];
  for (const [room, moves] of paths) {
    const zone = world.rooms.get(room)?.zone as string;
    if ((world.zones.get(zone)?.shard ?? 0) !== spawnShard) routes.push({ room, moves });
  }
  if (routes.length === 0) throw new Error('mud: the world has no room on another shard than the spawn');
  return routes;
}
