import { PveConfigError } from './errors.js';

type ParamValue = string | number | boolean | readonly (string | number | boolean)[] | null | undefined;

/** Proxmox takes booleans as 0/1; arrays (`-list` parameters) as repeated keys. */
function scalar(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/**
 * Splits an endpoint's params into the path (placeholders filled, URL-encoded) and the rest,
 * encoded as `application/x-www-form-urlencoded` (body of POST/PUT, query of GET/DELETE).
 */
export function encodeRequest(
  pathTemplate: string,
  params: Readonly<Record<string, unknown>> | undefined,
): { path: string; form: string } {
  const used = new Set<string>();
  const path = pathTemplate.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === null || v === '') {
      throw new PveConfigError(`missing path parameter '${name}' for ${pathTemplate}`);
    }
    used.add(name);
    return encodeURIComponent(String(v));
  });
  const form = new URLSearchParams();
  if (params) {
    for (const key of Object.keys(params).sort()) {
      if (used.has(key)) continue;
      const v = params[key] as ParamValue;
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) form.append(key, scalar(item));
      else form.append(key, scalar(v as string | number | boolean));
    }
  }
  // URLSearchParams writes spaces as '+', which Proxmox's form decoder reads as a space too.
  return { path, form: form.toString() };
}
