import type { Checker } from './schema.js';
import { joinPath } from './world-issue.js';
import type { NpcShop } from './world-types.js';

/** Highest value an item may have: keeps a typo (`value: 5000000`) from breaking an economy. */
export const MAX_ITEM_VALUE = 100_000;

/** Highest markup a shop may ask: ten times an item's value. */
export const MAX_MARKUP = 10;

/** An item id a shop sells, where the shop names it: checked once every item is known. */
export interface ShopItemRef {
  path: string;
  id: string;
}

/** An item's `value`: a whole number of coins, 0 when absent. */
export function readItemValue(c: Checker, value: unknown, path: string): number {
  if (value === undefined) return 0;
  return c.number(value, path, { integer: true, min: 0, max: MAX_ITEM_VALUE }) ?? 0;
}

/**
 * An NPC's `shop` mapping: `{ sells: [ale, herring], buys: true, markup: 1.5 }`. The item ids
 * it sells are returned to be resolved by the builder with every other item reference (an unknown
 * one is reported with the closest id). A markup under 1 is refused: a shop that sold below what
 * it pays back would be a money pump.
 */
export function readNpcShop(
  c: Checker,
  value: unknown,
  path: string,
): { shop: NpcShop; refs: ShopItemRef[] } | undefined {
  const o = c.object(value, path, { required: ['sells'], optional: ['buys', 'markup'] });
  if (!o) return undefined;
  const sellsPath = joinPath(path, 'sells');
  // A missing `sells` is reported once, as required, not again as "not a list".
  const ids =
    o.sells === undefined || o.sells === null
      ? []
      : (c.stringList(o.sells, sellsPath, { pattern: /^[a-z][a-z0-9_-]{0,47}$/ }) ?? []);
  const shop: NpcShop = {
    sells: [],
    buys: o.buys === undefined ? true : (c.boolean(o.buys, joinPath(path, 'buys')) ?? true),
    markup:
      o.markup === undefined
        ? 1
        : (c.number(o.markup, joinPath(path, 'markup'), { min: 1, max: MAX_MARKUP }) ?? 1),
  };
  const refs: ShopItemRef[] = [];
  ids.forEach((id, i) => {
    if (shop.sells.includes(id)) {
      c.fail(joinPath(sellsPath, i), `"${id}" is listed twice`);
      return;
    }
    shop.sells.push(id);
    refs.push({ path: joinPath(sellsPath, i), id });
  });
  return { shop, refs };
}
