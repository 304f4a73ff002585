import { EQUIPMENT_SLOTS, isEquipmentSlot } from '../character/equipment-slots.js';
import { closestWord } from '../commands/did-you-mean.js';
import type { Checker } from './schema.js';
import { joinPath } from './world-issue.js';
import type { ItemEquip } from './world-types.js';

/** Largest attack or armor one item adds: keeps a typo (`armor: 500`) from breaking a world. */
export const MAX_ITEM_BONUS = 20;

/**
 * An item's `equip` mapping: `{ slot: wield, attack: 3 }` or `{ slot: body, armor: 2 }`. A slot
 * that is not one of EQUIPMENT_SLOTS is an error naming the closest one.
 */
export function readItemEquip(c: Checker, value: unknown, path: string): ItemEquip | undefined {
  const o = c.object(value, path, { required: ['slot'], optional: ['attack', 'armor'] });
  if (!o) return undefined;
  const slotPath = joinPath(path, 'slot');
  if (!isEquipmentSlot(o.slot)) {
    const hint = typeof o.slot === 'string' ? closestWord(o.slot, EQUIPMENT_SLOTS) : undefined;
    c.fail(
      slotPath,
      `"${String(o.slot)}" is not a slot (${EQUIPMENT_SLOTS.join(', ')})${hint ? `: did you mean "${hint}"?` : ''}`,
    );
    return undefined;
  }
  const bonus = (key: 'attack' | 'armor') =>
    o[key] === undefined
      ? 0
      : (c.number(o[key], joinPath(path, key), { integer: true, min: 0, max: MAX_ITEM_BONUS }) ?? 0);
  return { slot: o.slot, attack: bonus('attack'), armor: bonus('armor') };
}
