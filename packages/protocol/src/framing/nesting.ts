/** Lines shorter than this are parsed without a depth check first: their nesting is cheap to parse. */
export const NESTING_SCAN_MIN_CHARS = 512;

/**
 * Whether JSON text nests objects and arrays deeper than `maxDepth` (the top level counting as 1),
 * found without parsing it. No valid message nests deeper than the limits' `maxDepth`, and a deep
 * line is the costliest to parse: 2,500 nested arrays took JSON.parse about 200 µs (node 20, in
 * the adversarial flood of benchmarks/src/adversarial), where this scan stops at the fifth bracket.
 * Strings are skipped with indexOf, so a long valid message costs a pass over its structure only.
 * The text may be invalid JSON: the scan never fails, it only counts brackets outside strings.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = closingQuote(text, i);
      if (i < 0) return false;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The index of the quote closing the string opened at `open` (-1: none). */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if ((backslashes & 1) === 0) return at;
  }
}
