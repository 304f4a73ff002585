import { purseLine } from './money-text.js';

/** What a player carries, as a list, then their coins. */
export function renderInventory(names: readonly string[], coins: number): string {
  const items =
    names.length === 0 ? ['You are carrying nothing.'] : ['You are carrying:', ...names.map((n) => `  ${n}`)];
  return [...items, purseLine(coins)].join('\n');
}
