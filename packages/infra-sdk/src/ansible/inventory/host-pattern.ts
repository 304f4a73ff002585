import { InventoryParseError } from '../errors.js';

/** Largest number of hosts one range pattern may expand to; guards against `[0:99999999]`. */
const MAX_EXPANSION = 100_000;

/**
 * Expands Ansible's host ranges (`web[01:10].example.com`, `db-[a:f]`, `[0:20:5]`), as the
 * inventory base class `_expand_hostpattern` and `detect_range`/`expand_hostname_range` do:
 * numeric ranges keep the width of the start, alphabetic ranges go letter by letter.
 */
export function expandHostPattern(pattern: string, line?: number): string[] {
  const m = /^(.*?)\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::([0-9]+))?\](.*)$/.exec(pattern);
  if (!m) return [pattern];
  const [, head = '', start = '', end = '', stepText, tail = ''] = m;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (step < 1) throw new InventoryParseError(`range step must be positive in ${pattern}`, line);
  const values: string[] = [];
  if (/^[0-9]+$/.test(start) && /^[0-9]+$/.test(end)) {
    const from = Number(start);
    const to = Number(end);
    if (from > to) throw new InventoryParseError(`range start after end in ${pattern}`, line);
    if ((to - from) / step > MAX_EXPANSION)
      throw new InventoryParseError(`range too large in ${pattern}`, line);
    for (let i = from; i <= to; i += step) values.push(String(i).padStart(start.length, '0'));
  } else if (/^[a-zA-Z]$/.test(start) && /^[a-zA-Z]$/.test(end)) {
    const from = start.charCodeAt(0);
    const to = end.charCodeAt(0);
    if (from > to) throw new InventoryParseError(`range start after end in ${pattern}`, line);
    for (let c = from; c <= to; c += step) values.push(String.fromCharCode(c));
  } else {
    throw new InventoryParseError(`invalid range in ${pattern}`, line);
  }
  // Ranges in the tail expand too (`r[1:2]-n[1:2]`).
  return values.flatMap((v) => expandHostPattern(`${head}${v}${tail}`, line));
}
