import type { ParamSpec } from '../../scripts/proxmox-schema.js';

/** Differences between a value and the schema's `returns`: missing required keys, wrong types. */
export function mismatches(value: unknown, spec: ParamSpec, at: string, out: string[]): void {
  if (value === null || value === undefined) {
    if (spec.type !== 'null' && spec.type !== 'any')
      out.push(`${at}: ${String(value)} where ${spec.type} is due`);
    return;
  }
  switch (spec.type) {
    case 'integer':
      if (!Number.isInteger(value)) out.push(`${at}: ${JSON.stringify(value)} is not an integer`);
      return;
    case 'number':
      if (typeof value !== 'number') out.push(`${at}: ${JSON.stringify(value)} is not a number`);
      return;
    case 'boolean':
      if (value !== 0 && value !== 1 && typeof value !== 'boolean')
        out.push(`${at}: ${JSON.stringify(value)} is not a boolean`);
      return;
    case 'string':
      if (typeof value !== 'string') out.push(`${at}: ${JSON.stringify(value)} is not a string`);
      else if (spec.enum && !spec.enum.includes(value))
        out.push(`${at}: '${value}' is not one of ${spec.enum.join(', ')}`);
      return;
    case 'array':
      if (!Array.isArray(value)) out.push(`${at}: not an array`);
      else if (spec.items) {
        for (const [i, v] of value.entries()) mismatches(v, spec.items, `${at}[${i}]`, out);
      }
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) {
        out.push(`${at}: not an object`);
        return;
      }
      for (const [k, p] of Object.entries(spec.properties ?? {})) {
        if (p.index) continue;
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined) {
          if (!p.optional) out.push(`${at}.${k}: required, missing`);
        } else mismatches(v, p, `${at}.${k}`, out);
      }
      return;
    default:
  }
}
