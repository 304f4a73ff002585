/**
 * Request validation the way pve-common's PVE::JSONSchema does it: every error is reported per
 * parameter, with Proxmox's own wording, and the request is answered 400 "Parameter verification
 * failed." with those errors in the body.
 */
import type { FormatKey, TableEndpoint, TableParam } from './schema-table.js';
import { schemaTable } from './schema-table.js';

export type RawParams = Record<string, string | string[]>;
export type Values = Record<string, string | number | boolean | Array<string | number | boolean>>;

const regexCache = new Map<string, RegExp | null>();

/** Perl's `(?^:...)`/`(?^i:...)` groups become JS groups; an `i` anywhere makes the whole regex case-insensitive. */
function compilePattern(p: string): RegExp | null {
  let re = regexCache.get(p);
  if (re !== undefined) return re;
  const insensitive = p.includes('(?^i:');
  const js = p.replace(/\(\?\^i?:/g, '(?:');
  try {
    re = new RegExp(`^(?:${js})$`, insensitive ? 'i' : '');
  } catch {
    re = null; // a Perl-only construct: skip the check rather than reject valid input
  }
  regexCache.set(p, re);
  return re;
}

const BOOL_TRUE = new Set(['1', 'on', 'yes', 'true']);
const BOOL_FALSE = new Set(['0', 'off', 'no', 'false']);

/** Named formats checked like pve-common (the ones the simulator's users meet); others pass. */
const NAMED_FORMATS: Record<string, (v: string) => string | undefined> = {
  'pve-node': (v) =>
    /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(v)
      ? undefined
      : `value does not look like a valid node name`,
  'pve-configid': (v) => (/^[a-z][a-z0-9_-]+$/i.test(v) ? undefined : `invalid configuration ID '${v}'`),
  'pve-storage-id': (v) =>
    /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(v) ? undefined : `storage ID '${v}' contains illegal characters`,
  'pve-poolid': (v) =>
    /^[A-Za-z0-9_\-/]+$/.test(v) ? undefined : `pool name '${v}' contains illegal characters`,
  'dns-name': (v) =>
    /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])\.)*(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])$/.test(
      v,
    )
      ? undefined
      : `value does not look like a valid DNS name`,
  // pve-common's pve_verify_urlencoded: this is why SSH keys must be URL-encoded before the form encoding.
  urlencoded: (v) => (/^[-%a-zA-Z0-9_.!~*'()]*$/.test(v) ? undefined : `invalid urlencoded string: ${v}`),
  'pve-qm-ipconfig': (v) => propertyString(v, IPCONFIG_FORMAT),
  'address-list': (v) =>
    v
      .split(/[\s,;]+/)
      .filter(Boolean)
      .every(isIp)
      ? undefined
      : `invalid IP address list '${v}'`,
  ip: (v) => (isIp(v) ? undefined : `value does not look like a valid IP address`),
  ipv4: (v) => (isIpv4(v) ? undefined : `value does not look like a valid IPv4 address`),
};

const IPCONFIG_FORMAT: Record<string, FormatKey> = {
  gw: { t: 'string', o: 1 },
  gw6: { t: 'string', o: 1 },
  ip: { t: 'string', o: 1 },
  ip6: { t: 'string', o: 1 },
};

function isIpv4(v: string): boolean {
  const parts = v.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIp(v: string): boolean {
  return isIpv4(v) || (/^[0-9a-fA-F:]+$/.test(v) && v.includes(':'));
}

/** Checks a `key=value,...` string against a property-string format. */
function propertyString(value: string, format: Readonly<Record<string, FormatKey>>): string | undefined {
  const seen = new Set<string>();
  const defaultKey = Object.entries(format).find(([, k]) => k.dk)?.[0];
  for (const part of value.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key: string;
    let v: string;
    if (eq < 0) {
      if (!defaultKey || seen.has(defaultKey))
        return `invalid format - value without key, but schema does not define a default key`;
      key = defaultKey;
      v = part;
    } else {
      key = part.slice(0, eq);
      v = part.slice(eq + 1);
    }
    let spec = format[key];
    if (spec?.a) spec = format[spec.a];
    if (!spec)
      return `invalid format - ${key}: property is not defined in schema and the schema does not allow additional properties`;
    seen.add(key);
    if (spec.e && !spec.e.includes(v)) {
      return `invalid format - ${key}: value '${v}' does not have a value in the enumeration '${spec.e.join(', ')}'`;
    }
    if (spec.t === 'integer' && !/^-?\d+$/.test(v))
      return `invalid format - ${key}: type check ('integer') failed - got '${v}'`;
    if (spec.t === 'boolean' && !BOOL_TRUE.has(v.toLowerCase()) && !BOOL_FALSE.has(v.toLowerCase())) {
      return `invalid format - ${key}: type check ('boolean') failed - got '${v}'`;
    }
  }
  for (const [key, spec] of Object.entries(format)) {
    if (!spec.o && !spec.a && !seen.has(key))
      return `invalid format - ${key}: property is missing and it is not optional`;
  }
  return undefined;
}

/** Validates and converts one value; returns the value or an error message. */
function checkValue(raw: string, spec: TableParam): { value?: string | number | boolean; error?: string } {
  switch (spec.t) {
    case 'integer': {
      if (!/^[+-]?\d+$/.test(raw.trim())) return { error: `type check ('integer') failed - got '${raw}'` };
      const n = Number(raw);
      return bounds(n, spec) ?? { value: n };
    }
    case 'number': {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim()))
        return { error: `type check ('number') failed - got '${raw}'` };
      const n = Number(raw);
      return bounds(n, spec) ?? { value: n };
    }
    case 'boolean': {
      const l = raw.toLowerCase();
      if (BOOL_TRUE.has(l)) return { value: true };
      if (BOOL_FALSE.has(l)) return { value: false };
      return { error: `type check ('boolean') failed - got '${raw}'` };
    }
    default: {
      if (spec.e && !spec.e.includes(raw)) {
        return { error: `value '${raw}' does not have a value in the enumeration '${spec.e.join(', ')}'` };
      }
      if (spec.mnl !== undefined && raw.length < spec.mnl)
        return { error: `value must be at least ${spec.mnl} characters long` };
      if (spec.mxl !== undefined && raw.length > spec.mxl)
        return { error: `value may only be ${spec.mxl} characters long` };
      if (spec.p !== undefined && !compilePattern(spec.p)?.test(raw) && compilePattern(spec.p) !== null) {
        return { error: 'value does not match the regex pattern' };
      }
      if (typeof spec.f === 'string') {
        const err = NAMED_FORMATS[spec.f]?.(raw);
        if (err) return { error: err };
      } else if (typeof spec.f === 'number') {
        const format = schemaTable().formats[spec.f];
        const err = format ? propertyString(raw, format) : undefined;
        if (err) return { error: err };
      }
      return { value: raw };
    }
  }
}

function bounds(n: number, spec: TableParam): { error: string } | undefined {
  if (spec.mn !== undefined && n < spec.mn) return { error: `value must have a minimum value of ${spec.mn}` };
  if (spec.mx !== undefined && n > spec.mx) return { error: `value must have a maximum value of ${spec.mx}` };
  return undefined;
}

function specFor(endpoint: TableEndpoint, name: string): TableParam | undefined {
  const direct = endpoint.params[name];
  if (direct) return direct.ix ? undefined : direct;
  const m = /^([a-z][a-z0-9_-]*?)(\d+)$/.exec(name);
  if (!m) return undefined;
  const spec = endpoint.indexed.get(m[1]!);
  if (!spec?.ix) return undefined;
  const i = Number(m[2]);
  return String(i) === m[2] && i >= spec.ix[0] && i <= spec.ix[1] ? spec : undefined;
}

/** Validates a request's parameters (path ones included) against the endpoint. */
export function validateParams(
  endpoint: TableEndpoint,
  raw: RawParams,
): { values: Values; errors: Record<string, string> } {
  const values: Values = {};
  const errors: Record<string, string> = {};
  for (const [name, given] of Object.entries(raw)) {
    const spec = specFor(endpoint, name);
    if (!spec) {
      if (!endpoint.additionalParams) {
        errors[name] =
          'property is not defined in schema and the schema does not allow additional properties';
      } else {
        values[name] = Array.isArray(given) ? given.join(',') : given;
      }
      continue;
    }
    if (spec.t === 'array') {
      const items = Array.isArray(given) ? given : [given];
      const out: Array<string | number | boolean> = [];
      for (const item of items) {
        const r = checkValue(item, spec.it ?? { t: 'string' });
        if (r.error) errors[name] = r.error;
        else out.push(r.value!);
      }
      values[name] = out;
      continue;
    }
    const one = Array.isArray(given) ? given[given.length - 1]! : given;
    const r = checkValue(one, spec);
    if (r.error) errors[name] = r.error;
    else values[name] = r.value!;
  }
  for (const [name, spec] of Object.entries(endpoint.params)) {
    if (!spec.o && !spec.ix && raw[name] === undefined)
      errors[name] = 'property is missing and it is not optional';
  }
  return { values, errors };
}
