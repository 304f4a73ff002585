/** `name{a:1,b:2}` with tags sorted, the key of a tagged series (k6's sub-metric syntax). */
export function seriesKey(name: string, tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags).sort();
  if (keys.length === 0) return name;
  return `${name}{${keys.map((k) => `${k}:${tags[k]}`).join(',')}}`;
}

/** Splits `name{a:1,b:2}` into the name and its tag filter; undefined when malformed. */
export function parseSeriesKey(key: string): { name: string; tags: Record<string, string> } | undefined {
  const brace = key.indexOf('{');
  if (brace === -1) return /^[\w.-]+$/.test(key) ? { name: key, tags: {} } : undefined;
  if (!key.endsWith('}')) return undefined;
  const name = key.slice(0, brace);
  if (!/^[\w.-]+$/.test(name)) return undefined;
  const tags: Record<string, string> = {};
  const body = key.slice(brace + 1, -1).trim();
  if (body.length === 0) return { name, tags };
  for (const part of body.split(',')) {
    const colon = part.indexOf(':');
    if (colon <= 0) return undefined;
    tags[part.slice(0, colon).trim()] = part.slice(colon + 1).trim();
  }
  return { name, tags };
}
