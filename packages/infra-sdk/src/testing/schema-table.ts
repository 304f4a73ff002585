import { PVE_SCHEMA_TABLE_JSON } from './pve-schema.generated.js';

/** A parameter as the generated table describes it (see scripts/emit-sim-table.ts). */
export interface TableParam {
  readonly t: string;
  readonly o?: 1;
  readonly e?: readonly string[];
  readonly mn?: number;
  readonly mx?: number;
  readonly mnl?: number;
  readonly mxl?: number;
  readonly p?: string;
  readonly f?: string | number;
  readonly ix?: readonly [number, number];
  readonly it?: TableParam;
}

/** One key of a property-string format (`key=value,...`). */
export interface FormatKey {
  readonly t: string;
  readonly o?: 1;
  readonly dk?: 1;
  readonly e?: readonly string[];
  readonly a?: string;
}

export interface TableEndpoint {
  readonly method: string;
  readonly path: string;
  /** `METHOD /path/{template}`, the same key as the SDK's `PveApi`. */
  readonly key: string;
  readonly params: Readonly<Record<string, TableParam>>;
  readonly additionalParams: boolean;
  readonly pathRe: RegExp;
  readonly pathNames: readonly string[];
  /** Indexed families (`net`) → their spec, for names like `net3`. */
  readonly indexed: ReadonlyMap<string, TableParam>;
}

export interface SchemaTable {
  readonly formats: ReadonlyArray<Readonly<Record<string, FormatKey>>>;
  readonly endpoints: readonly TableEndpoint[];
  /** Finds the endpoint for a concrete method and path; `pathKnown` tells 501 from 404. */
  match(
    method: string,
    path: string,
  ): { endpoint?: TableEndpoint; pathParams: Record<string, string>; pathKnown: boolean };
}

let cached: SchemaTable | undefined;

/** The schema table, parsed once per process. */
export function schemaTable(): SchemaTable {
  cached ??= buildTable(PVE_SCHEMA_TABLE_JSON);
  return cached;
}

function buildTable(json: string): SchemaTable {
  const raw = JSON.parse(json) as {
    formats: Array<Record<string, FormatKey>>;
    endpoints: Array<[string, string, Record<string, TableParam>, 0 | 1]>;
  };
  const endpoints: TableEndpoint[] = raw.endpoints.map(([method, path, params, additional]) => {
    const pathNames: string[] = [];
    const source = path
      .split('/')
      .map((seg) => {
        const m = /^\{([^}]+)\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        pathNames.push(m[1]!);
        return '([^/]+)';
      })
      .join('/');
    const indexed = new Map<string, TableParam>();
    for (const [name, spec] of Object.entries(params)) if (spec.ix) indexed.set(name.slice(0, -3), spec);
    return {
      method,
      path,
      key: `${method} ${path}`,
      params,
      additionalParams: additional === 1,
      pathRe: new RegExp(`^${source}$`),
      pathNames,
      indexed,
    };
  });
  // Literal segments win over placeholders (`/nodes/{node}/qemu` vs `/nodes/{node}/{x}`): try the
  // templates with fewer placeholders first.
  const ordered = [...endpoints].sort((a, b) => a.pathNames.length - b.pathNames.length);
  return {
    formats: raw.formats,
    endpoints,
    match(method, path) {
      let pathKnown = false;
      for (const e of ordered) {
        const m = e.pathRe.exec(path);
        if (!m) continue;
        pathKnown = true;
        if (e.method !== method) continue;
        const pathParams: Record<string, string> = {};
        e.pathNames.forEach((n, i) => {
          pathParams[n] = decodeURIComponent(m[i + 1]!);
        });
        return { endpoint: e, pathParams, pathKnown };
      }
      return { pathParams: {}, pathKnown };
    },
  };
}
