/**
 * Emits `src/testing/pve-schema.generated.ts`: the compact runtime table the Proxmox simulator
 * validates requests with (every endpoint's parameters: type, required, enum, bounds, pattern,
 * format; property-string formats deduplicated). Descriptions are dropped to keep it small.
 */
import type { ParamSpec, ReadSchema } from './proxmox-schema.js';

/** Compact parameter spec; the simulator's `schema-table.ts` declares the same shape. */
interface CompactParam {
  t: string;
  o?: 1;
  e?: readonly string[];
  mn?: number;
  mx?: number;
  mnl?: number;
  mxl?: number;
  p?: string;
  /** Named format, or the index of a property-string format in `formats`. */
  f?: string | number;
  ix?: readonly [number, number];
  it?: CompactParam;
}

export function emitSimTable(schema: ReadSchema): string {
  const formats: string[] = [];
  const formatIds = new Map<string, number>();

  const compact = (spec: ParamSpec): CompactParam => {
    const c: CompactParam = { t: spec.type };
    if (spec.optional) c.o = 1;
    if (spec.enum) c.e = spec.enum;
    if (spec.minimum !== undefined) c.mn = spec.minimum;
    if (spec.maximum !== undefined) c.mx = spec.maximum;
    if (spec.minLength !== undefined) c.mnl = spec.minLength;
    if (spec.maxLength !== undefined) c.mxl = spec.maxLength;
    if (spec.pattern !== undefined) c.p = spec.pattern;
    if (typeof spec.format === 'string') c.f = spec.format;
    else if (spec.format) {
      // Keep only what validation needs from each key of a property-string format.
      const keys: Record<string, unknown> = {};
      for (const [k, raw] of Object.entries(spec.format).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const entry: Record<string, unknown> = { t: raw.type ?? 'string' };
        if (raw.optional === 1 || raw.optional === '1') entry.o = 1;
        if (raw.default_key === 1) entry.dk = 1;
        if (Array.isArray(raw.enum)) entry.e = raw.enum;
        if (typeof raw.alias === 'string') entry.a = raw.alias;
        keys[k] = entry;
      }
      const text = JSON.stringify(keys);
      let id = formatIds.get(text);
      if (id === undefined) {
        id = formats.length;
        formats.push(text);
        formatIds.set(text, id);
      }
      c.f = id;
    }
    if (spec.index) c.ix = spec.index;
    if (spec.items) c.it = compact(spec.items);
    return c;
  };

  const endpoints = schema.endpoints.map((e) => {
    const params: Record<string, CompactParam> = {};
    for (const [name, spec] of Object.entries(e.params)) params[name] = compact(spec);
    return [e.method, e.path, params, e.additionalParams ? 1 : 0];
  });
  const table = `{"formats":[${formats.join(',')}],"endpoints":${JSON.stringify(endpoints)}}`;
  return [
    '/**',
    ' * The schema table as JSON text. Parsed once, lazily, by schema-table.ts: V8 parses a large JSON',
    ' * string faster than the equivalent object literal (v8.dev/blog/cost-of-javascript-2019#json).',
    ' */',
    `export const PVE_SCHEMA_TABLE_JSON: string = ${JSON.stringify(table)};`,
    '',
  ].join('\n');
}
