import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWorldSync, type World } from '@leviathan/mud';
import { type BenchRoute, benchRoutes } from './routes.js';

/** The Drowned Coast, as examples/mud runs it. */
export const COAST_DIR = fileURLToPath(new URL('../../../examples/mud/world', import.meta.url));

/**
 * Prey per destination room: the Drowned Coast has four creatures that fight, one of each, gone
 * for two minutes once killed; thousands of players need more to fight than that. Weak and quick
 * to come back (the loader's minimum respawn is 1 s), so a fight lasts a round or two, as fights
 * with vermin do, and a player who finds none this time goes on.
 */
export const PREY_PER_ROOM = 4;
const PREY = {
  name: 'a grey rat',
  keywords: ['rat', 'grey rat'],
  description: 'A rat the size of a cat, grey, wet and unafraid.',
  combat: { level: 1, health: 4, attack: 1, xp: 5, respawnSec: 3 },
} as const;

export interface BenchWorld {
  /** A copy of the Drowned Coast with prey added; delete it with `remove`. */
  dir: string;
  /** Where the players go, with the moves from the spawn. */
  routes: BenchRoute[];
  remove(): void;
}

/** The YAML lines of PREY_PER_ROOM rats spawning in `room` (a full room id), under `npcs:`. */
function preyLines(room: string): string {
  const lines: string[] = [];
  for (let k = 0; k < PREY_PER_ROOM; k++) {
    lines.push(
      `  bench-rat-${room.replace(':', '-')}-${k}:`,
      `    name: ${PREY.name}`,
      `    keywords: [${PREY.keywords.join(', ')}]`,
      `    description: ${PREY.description}`,
      `    spawn: ${room}`,
      `    combat: ${JSON.stringify(PREY.combat)}`,
    );
  }
  return lines.join('\n');
}

/**
 * The Drowned Coast copied to a temporary directory, with PREY_PER_ROOM rats in every room the
 * players walk to (routes.ts: the rooms of the zones on another shard than the spawn's). The
 * copy is loaded back before it is used, so a world the loader refuses fails here, by name.
 */
export function writeBenchWorld(): BenchWorld {
  const coast = loadWorldSync(COAST_DIR);
  const routes = benchRoutes(coast);
  const dir = mkdtempSync(join(tmpdir(), 'leviathan-bench-mud-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    cpSync(COAST_DIR, dir, { recursive: true });
    const byZone = new Map<string, string[]>();
    for (const r of routes) {
      const zone = coast.rooms.get(r.room)?.zone as string;
      byZone.set(zone, [...(byZone.get(zone) ?? []), r.room]);
    }
    for (const [zone, rooms] of byZone) {
      const file = join(dir, 'zones', `${zone}.yaml`);
      const text = readFileSync(file, 'utf8');
      if (!/^npcs:\n/m.test(text)) throw new Error(`mud: ${zone}.yaml has no npcs section to add prey to`);
      writeFileSync(file, text.replace(/^npcs:\n/m, `npcs:\n${rooms.map(preyLines).join('\n')}\n`));
    }
    const world = loadWorldSync(dir);
    checkPrey(world, routes);
    return { dir, routes, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

function checkPrey(world: World, routes: readonly BenchRoute[]): void {
  for (const r of routes) {
    let prey = 0;
    for (const npc of world.npcs.values()) if (npc.spawn === r.room && npc.combat) prey++;
    if (prey < PREY_PER_ROOM) throw new Error(`mud: ${r.room} has ${prey} prey, not ${PREY_PER_ROOM}`);
  }
}
