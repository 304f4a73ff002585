/** Anything a player can refer to by a word: an item, an NPC, a player. */
export interface Nameable {
  readonly name: string;
  readonly keywords: readonly string[];
}

/**
 * Finds what a player means by `query` among `candidates`, in their order. `2.coin` is the second
 * match. A word matches a keyword exactly first; failing that, the start of a keyword or of a word
 * of the name (`lant` for the lantern). Several words must all match (`brass lantern`).
 */
export function findTarget<T extends Nameable>(query: string, candidates: readonly T[]): T | undefined {
  let text = query.trim().toLowerCase();
  let nth = 1;
  const ordinal = /^(\d+)\.(.+)$/.exec(text);
  if (ordinal) {
    nth = Number(ordinal[1]);
    text = ordinal[2]!.trim();
  }
  text = text.replace(/^(the|a|an|some)\s+/, '');
  if (!text || nth < 1) return undefined;
  const exact = candidates.filter((c) => c.keywords.includes(text) || c.name.toLowerCase() === text);
  if (exact.length >= nth) return exact[nth - 1];
  const words = text.split(/\s+/);
  const partial = candidates.filter((c) => {
    const vocabulary = [...c.keywords, ...c.name.toLowerCase().split(/\s+/)];
    return words.every((w) => vocabulary.some((v) => v.startsWith(w)));
  });
  return partial[nth - 1];
}
