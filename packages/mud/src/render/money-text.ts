/** "1 coin", "12 coins", "no coins". */
export function coinsText(n: number): string {
  if (n === 0) return 'no coins';
  return n === 1 ? '1 coin' : `${n} coins`;
}

/** The purse, as `inventory` and `score` end: "You have 12 coins." */
export function purseLine(coins: number): string {
  return `You have ${coinsText(coins)}.`;
}

/** A shop's wares with their prices, names padded so the prices line up. */
export function renderWares(
  keeper: string,
  wares: ReadonlyArray<{ name: string; price: number }>,
  coins: number,
): string {
  if (wares.length === 0)
    return `${keeper} sells nothing, but buys what is worth a coin.\n${purseLine(coins)}`;
  const width = Math.max(...wares.map((w) => w.name.length));
  return [
    `${keeper} sells:`,
    ...wares.map((w) => `  ${w.name.padEnd(width)}  ${coinsText(w.price)}`),
    purseLine(coins),
  ].join('\n');
}
