/** "a", "a and b", "a, b and c". */
export function listJoin(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Upper-cases the first letter: "a brass lantern" → "A brass lantern". */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** Ends a sentence with a full stop unless it already ends with punctuation. */
export function sentence(text: string): string {
  return /[.!?…"')]$/.test(text) ? text : `${text}.`;
}
