/**
 * The lines `after` has more of than `before` (added) and fewer of (removed), in order: a diff
 * by line counts, enough to tell that an edit of a world file changed exactly the lines it meant to.
 */
export function lineDiff(before: string, after: string): { added: string[]; removed: string[] } {
  const extra = (from: string[], to: string[]) => {
    const left = new Map<string, number>();
    for (const l of to) left.set(l, (left.get(l) ?? 0) + 1);
    return from.filter((l) => {
      const n = left.get(l) ?? 0;
      left.set(l, n - 1);
      return n <= 0;
    });
  };
  const a = before.split('\n');
  const b = after.split('\n');
  return { added: extra(b, a), removed: extra(a, b) };
}
