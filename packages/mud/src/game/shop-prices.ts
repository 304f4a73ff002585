import type { NpcShop, WorldItem } from '../world/world-types.js';

/**
 * What a shop asks for an item it sells: the value times the markup, rounded up to a whole coin
 * (rounded to a thousandth first, so 10 × 1.1 costs 11 and not 12 through a float's tail).
 */
export function priceToBuy(item: WorldItem, shop: NpcShop): number {
  return Math.ceil(Math.round(item.value * shop.markup * 1000) / 1000);
}

/**
 * What a shop pays for an item: half its value, rounded down but at least a coin; nothing for a
 * worthless one. With a markup of 1 or more (the world format's floor) it never pays more than it
 * asks, so buying to sell back cannot make money.
 */
export function priceToSell(item: WorldItem): number {
  return item.value === 0 ? 0 : Math.max(1, Math.floor(item.value / 2));
}
