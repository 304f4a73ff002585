import type { Checker } from './schema.js';
import { joinPath } from './world-issue.js';
import type { NpcCombat } from './world-types.js';

/** Bounds that keep a typo (`health: 50000`) from making a creature nobody can ever fight. */
export const MAX_NPC_LEVEL = 50;
export const MAX_NPC_HEALTH = 10_000;
export const MAX_NPC_ATTACK = 200;

/**
 * An NPC's `combat` mapping: `{ level: 2, health: 20, attack: 4, armor: 1, xp: 40 }`, with
 * `aggressive`, `respawnSec` and `flee` optional. Without one an NPC cannot be attacked. Loot item
 * ids are pushed to `itemRefs` so the builder checks them once every item is known.
 */
export function readNpcCombat(
  c: Checker,
  value: unknown,
  path: string,
  itemRef: (id: string, path: string) => void,
): NpcCombat | undefined {
  const o = c.object(value, path, {
    required: ['level', 'health', 'attack', 'xp'],
    optional: ['armor', 'aggressive', 'respawnSec', 'flee', 'loot'],
  });
  if (!o) return undefined;
  const int = (key: string, min: number, max: number) =>
    c.number(o[key], joinPath(path, key), { integer: true, min, max });
  const level = int('level', 1, MAX_NPC_LEVEL);
  const health = int('health', 1, MAX_NPC_HEALTH);
  const attack = int('attack', 0, MAX_NPC_ATTACK);
  const xp = int('xp', 0, 1_000_000);
  const armor = o.armor === undefined ? 0 : int('armor', 0, MAX_NPC_ATTACK);
  const respawnSec = o.respawnSec === undefined ? 300 : int('respawnSec', 1, 86_400);
  const flee = o.flee === undefined ? 0 : int('flee', 0, MAX_NPC_HEALTH);
  const aggressive =
    o.aggressive === undefined ? false : c.boolean(o.aggressive, joinPath(path, 'aggressive'));
  const loot: string[] = [];
  if (o.loot !== undefined) {
    const lp = joinPath(path, 'loot');
    (c.stringList(o.loot, lp) ?? []).forEach((id, i) => {
      itemRef(id, joinPath(lp, i));
      loot.push(id);
    });
  }
  if (
    level === undefined ||
    health === undefined ||
    attack === undefined ||
    xp === undefined ||
    armor === undefined ||
    respawnSec === undefined ||
    flee === undefined ||
    aggressive === undefined
  ) {
    return undefined;
  }
  if (flee >= health) {
    c.fail(joinPath(path, 'flee'), `must be below health (${health}), or the NPC flees before it is hurt`);
    return undefined;
  }
  return { level, health, attack, armor, xp, aggressive, respawnSec, flee, loot };
}
