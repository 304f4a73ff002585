/** What a player carries, as a list. */
export function renderInventory(names: readonly string[]): string {
  if (names.length === 0) return 'You are carrying nothing.';
  return ['You are carrying:', ...names.map((n) => `  ${n}`)].join('\n');
}
