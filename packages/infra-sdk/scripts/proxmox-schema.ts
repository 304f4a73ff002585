/**
 * Reads the Proxmox VE API schema (pve-docs `api-viewer/apidata.js` as plain JSON) into a flat list
 * of endpoints, with indexed parameters such as `net[n]` expanded to `net0`..`net31`.
 *
 * Names, types, enums, bounds and required flags come from the schema's fields. The only thing
 * the schema states in prose is the range of an indexed parameter; it is parsed from the
 * description ("n is 0 to 30", "up to 8 links supported; link0..link7"). Where the schema does not
 * state a range at all (`net[n]`, `ipconfig[n]`, ...), the range comes from UPSTREAM_INDEX_RANGES
 * below, each with the upstream constant it mirrors; an indexed parameter with neither is an error,
 * so a new one in a future schema cannot slip through with a guessed range.
 */

export type SchemaType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'null' | 'any';

/** One parameter or property, as the schema describes it (descriptions dropped). */
export interface ParamSpec {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  /** Named format (`pve-vmid`) or the property-string format object (`key=value,...`). */
  readonly format?: string | Readonly<Record<string, RawProp>>;
  readonly items?: ParamSpec;
  readonly properties?: Readonly<Record<string, ParamSpec>>;
  readonly additionalProperties?: boolean;
  /** Inclusive index range when the name was `foo[n]`. */
  readonly index?: readonly [number, number];
  readonly description?: string;
}

export interface Endpoint {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** Parameter name → spec; indexed ones still under their `foo[n]` name with `index` set. */
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly additionalParams: boolean;
  readonly returns: ParamSpec;
  readonly protected: boolean;
  readonly description: string;
}

export interface IndexRange {
  readonly family: string;
  readonly range: readonly [number, number];
  readonly source: 'schema' | 'upstream';
}

/**
 * Ranges of the indexed parameters whose range the schema does not state, with the upstream
 * constant each one mirrors (qemu-server, pve-container, pve-manager; Proxmox VE 9.1).
 */
export const UPSTREAM_INDEX_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  net: [0, 31], // qemu-server PVE::QemuServer $MAX_NETS = 32; pve-container $MAX_LXC_NETWORKS = 32
  ipconfig: [0, 31], // qemu-server: one ipconfig per net, $MAX_NETS = 32
  hostpci: [0, 15], // qemu-server PVE::QemuServer::PCI $MAX_HOSTPCI_DEVICES = 16
  numa: [0, 7], // qemu-server PVE::QemuServer::Memory $MAX_NUMA = 8
  unused: [0, 255], // qemu-server Drive $MAX_UNUSED_DISKS = 256; pve-container $MAX_UNUSED_DISKS = 256
  virtiofs: [0, 9], // qemu-server PVE::QemuServer::Virtiofs $MAX_VIRTIOFS = 10
  mp: [0, 255], // pve-container $MAX_MOUNT_POINTS = 256
  dev: [0, 255], // pve-container $MAX_DEVICES = 256
  acmedomain: [0, 4], // pve-manager PVE::NodeConfig $MAXDOMAINS = 5
};

// biome-ignore lint/suspicious/noExplicitAny: raw JSON of a foreign schema
type RawProp = Record<string, any>;
interface RawNode {
  path: string;
  info?: Record<string, RawProp>;
  children?: RawNode[];
}

const num = (v: unknown): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

const truthy = (v: unknown): boolean => v === 1 || v === true || v === '1';

/** Parses the index range out of an indexed parameter's description, or undefined. */
export function parseIndexRange(family: string, prop: RawProp): readonly [number, number] | undefined {
  const text = `${prop.description ?? ''} ${prop.verbose_description ?? ''}`;
  let lo: number | undefined;
  let hi: number | undefined;
  const isTo = /\bn is (\d+) to (\d+)/.exec(text);
  if (isTo) {
    lo = Number(isTo[1]);
    hi = Number(isTo[2]);
  }
  // "n can be up to 14" widens the range (usb[n] on newer machine versions).
  const canBe = /\bn can be up to (\d+)/.exec(text);
  if (canBe && lo !== undefined) hi = Math.max(hi ?? 0, Number(canBe[1]));
  // "link0..link7"
  const dots = new RegExp(`\\b${family}(\\d+)\\.\\.${family}(\\d+)\\b`).exec(text);
  if (dots && lo === undefined) {
    lo = Number(dots[1]);
    hi = Number(dots[2]);
  }
  if (lo === undefined || hi === undefined) return undefined;
  return [lo, hi];
}

function typeOf(raw: RawProp): SchemaType {
  const t = raw.type;
  if (t === 'string' || t === 'integer' || t === 'number' || t === 'boolean' || t === 'array') return t;
  if (t === 'object' || (t === undefined && raw.properties)) return 'object';
  if (t === 'null') return 'null';
  return 'any';
}

function readProp(raw: RawProp, keepDescription: boolean): ParamSpec {
  const type = typeOf(raw);
  const spec: {
    -readonly [K in keyof ParamSpec]: ParamSpec[K];
  } = { type, optional: truthy(raw.optional) };
  if (Array.isArray(raw.enum)) spec.enum = raw.enum.map(String);
  const min = num(raw.minimum);
  if (min !== undefined) spec.minimum = min;
  const max = num(raw.maximum);
  if (max !== undefined) spec.maximum = max;
  const minLength = num(raw.minLength);
  if (minLength !== undefined) spec.minLength = minLength;
  const maxLength = num(raw.maxLength);
  if (maxLength !== undefined) spec.maxLength = maxLength;
  if (typeof raw.pattern === 'string') spec.pattern = raw.pattern;
  if (typeof raw.format === 'string') spec.format = raw.format;
  else if (raw.format && typeof raw.format === 'object') spec.format = raw.format;
  if (raw.items && typeof raw.items === 'object') spec.items = readProp(raw.items, false);
  if (raw.properties && typeof raw.properties === 'object') {
    spec.properties = readProps(raw.properties, false).props;
  }
  if (raw.additionalProperties !== undefined) spec.additionalProperties = truthy(raw.additionalProperties);
  if (keepDescription && typeof raw.description === 'string') spec.description = raw.description;
  return spec;
}

/** Reads a `properties` object; indexed names get their `index` range. */
function readProps(
  raw: Record<string, RawProp>,
  keepDescription: boolean,
  ranges?: Map<string, IndexRange>,
): { props: Record<string, ParamSpec> } {
  const props: Record<string, ParamSpec> = {};
  for (const name of Object.keys(raw).sort()) {
    const prop = raw[name]!;
    const spec = readProp(prop, keepDescription);
    const indexed = /^([a-z][a-z0-9_-]*)\[n\]$/.exec(name);
    if (indexed) {
      const family = indexed[1]!;
      const fromSchema = parseIndexRange(family, prop);
      const range = fromSchema ?? UPSTREAM_INDEX_RANGES[family];
      if (!range) {
        throw new Error(
          `indexed parameter ${name} has no range in its description and none in UPSTREAM_INDEX_RANGES`,
        );
      }
      const known = ranges?.get(family);
      if (!known || (fromSchema && known.source === 'upstream')) {
        ranges?.set(family, { family, range, source: fromSchema ? 'schema' : 'upstream' });
      }
      props[name] = { ...spec, index: range };
    } else {
      props[name] = spec;
    }
  }
  return { props };
}

export interface ReadSchema {
  readonly endpoints: readonly Endpoint[];
  readonly ranges: ReadonlyMap<string, IndexRange>;
}

/** Parses the schema text into endpoints sorted by path then method. */
export function readSchema(text: string): ReadSchema {
  const tree = JSON.parse(text) as RawNode[];
  const endpoints: Endpoint[] = [];
  const ranges = new Map<string, IndexRange>();
  const walk = (nodes: RawNode[]): void => {
    for (const node of nodes) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
        const info = node.info?.[method];
        if (!info) continue;
        const params = readProps(info.parameters?.properties ?? {}, true, ranges).props;
        endpoints.push({
          method,
          path: node.path,
          params,
          additionalParams: truthy(info.parameters?.additionalProperties),
          returns: readProp(info.returns ?? {}, false),
          protected: truthy(info.protected),
          description: typeof info.description === 'string' ? info.description : '',
        });
        // Indexed names inside return objects (GET .../config) use the same families.
        readProps(info.returns?.properties ?? {}, false, ranges);
      }
      walk(node.children ?? []);
    }
  };
  walk(tree);
  endpoints.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.method < b.method ? -1 : 1));
  return { endpoints, ranges };
}

/** `net[n]` with range [0, 2] → `net0`, `net1`, `net2`. */
export function expandIndexed(name: string, spec: ParamSpec): string[] {
  if (!spec.index) return [name];
  const family = name.slice(0, -3);
  const out: string[] = [];
  for (let i = spec.index[0]; i <= spec.index[1]; i++) out.push(`${family}${i}`);
  return out;
}
