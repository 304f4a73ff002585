import { describe, expect, it } from 'vitest';
import type { NpcShop, WorldItem } from '../world/world-types.js';
import { priceToBuy, priceToSell } from './shop-prices.js';

const item = (value: number) => ({ id: 'x', value }) as WorldItem;
const shop = (markup: number): NpcShop => ({ sells: ['x'], buys: true, markup });

describe('shop prices', () => {
  it('asks the value times the markup, rounded up to a whole coin', () => {
    expect(priceToBuy(item(3), shop(1))).toBe(3);
    expect(priceToBuy(item(3), shop(1.5))).toBe(5);
    expect(priceToBuy(item(2), shop(1.5))).toBe(3);
    // 10 × 1.1 is 11.000000000000002 in floating point: still 11 coins.
    expect(priceToBuy(item(10), shop(1.1))).toBe(11);
  });

  it('pays half the value, at least a coin, and nothing for what is worthless', () => {
    expect(priceToSell(item(0))).toBe(0);
    expect(priceToSell(item(1))).toBe(1);
    expect(priceToSell(item(3))).toBe(1);
    expect(priceToSell(item(10))).toBe(5);
  });

  it('never pays back more than it asks, at any markup the world format allows', () => {
    for (let value = 1; value <= 200; value++) {
      for (const markup of [1, 1.01, 1.5, 2, 10]) {
        expect(priceToSell(item(value))).toBeLessThanOrEqual(priceToBuy(item(value), shop(markup)));
      }
    }
  });
});
