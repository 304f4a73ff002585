import { Document, parse, type ScalarTag, visit } from 'yaml';
import { InventoryParseError } from '../errors.js';
import { expandHostPattern } from './host-pattern.js';
import { type Inventory, InventoryBuilder, validateInventory } from './inventory.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const GROUP_KEYS = new Set(['hosts', 'vars', 'children']);

function readGroup(inv: InventoryBuilder, name: string, node: unknown, where: string): void {
  if (node === null || node === undefined) {
    if (name !== 'all') inv.group(name);
    return;
  }
  if (!isObject(node)) throw new InventoryParseError(`${where}: group ${name} must be a mapping`);
  for (const key of Object.keys(node)) {
    if (!GROUP_KEYS.has(key)) {
      throw new InventoryParseError(`${where}: unexpected key ${JSON.stringify(key)} in group ${name}`);
    }
  }
  if (name !== 'all') inv.group(name);
  if (node.vars !== undefined && node.vars !== null) {
    if (!isObject(node.vars)) throw new InventoryParseError(`${where}: vars of ${name} must be a mapping`);
    inv.group(name, node.vars);
  }
  if (node.hosts !== undefined && node.hosts !== null) {
    if (!isObject(node.hosts)) throw new InventoryParseError(`${where}: hosts of ${name} must be a mapping`);
    for (const [pattern, vars] of Object.entries(node.hosts)) {
      if (vars !== null && vars !== undefined && !isObject(vars)) {
        throw new InventoryParseError(`${where}: variables of host ${pattern} must be a mapping`);
      }
      const groups = name === 'all' || name === 'ungrouped' ? [] : [name];
      for (const host of expandHostPattern(pattern)) inv.host(host, vars ?? {}, groups);
    }
  }
  if (node.children !== undefined && node.children !== null) {
    if (!isObject(node.children))
      throw new InventoryParseError(`${where}: children of ${name} must be a mapping`);
    for (const [child, childNode] of Object.entries(node.children)) {
      if (name !== 'all') inv.group(name, {}, [child]);
      readGroup(inv, child, childNode, where);
    }
  }
}

function fromDocument(doc: unknown, where: string): Inventory {
  const inv = new InventoryBuilder();
  if (doc === null || doc === undefined) return inv.build();
  if (!isObject(doc)) throw new InventoryParseError(`${where}: the inventory must be a mapping of groups`);
  for (const [name, node] of Object.entries(doc)) readGroup(inv, name, node, where);
  return inv.build();
}

/**
 * Ansible reads YAML with PyYAML, which speaks YAML 1.1: `yes`, `on`, `no` are booleans there.
 * Reading and writing in 1.1 keeps strings such as "yes" strings on both sides.
 */
const YAML_OPTIONS = { version: '1.1' } as const;

/** Reads a YAML inventory (Ansible's `yaml` inventory plugin format). */
export function parseYamlInventory(text: string): Inventory {
  let doc: unknown;
  try {
    doc = parse(text, { ...YAML_OPTIONS, uniqueKeys: true });
  } catch (error) {
    const line = (error as { linePos?: [{ line: number }] }).linePos?.[0]?.line;
    throw new InventoryParseError(`invalid YAML: ${(error as Error).message}`, line, { cause: error });
  }
  return fromDocument(doc, 'YAML inventory');
}

/** Reads a JSON inventory (the YAML plugin's structure, which Ansible also reads from `.json`). */
export function parseJsonInventory(text: string): Inventory {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InventoryParseError(`invalid JSON: ${(error as Error).message}`, undefined, { cause: error });
  }
  if (isObject(doc) && isObject(doc._meta)) return fromListDocument(doc);
  return fromDocument(doc, 'JSON inventory');
}

/** The YAML plugin's structure: every host with its variables under `all.hosts`, groups under `all.children`. */
function toDocument(inventory: Inventory): Record<string, unknown> {
  validateInventory(inventory);
  const all: Record<string, unknown> = {};
  if (Object.keys(inventory.vars).length > 0) all.vars = inventory.vars;
  const hosts: Record<string, unknown> = {};
  for (const [host, vars] of Object.entries(inventory.hosts)) {
    hosts[host] = Object.keys(vars).length > 0 ? vars : null;
  }
  if (Object.keys(hosts).length > 0) all.hosts = hosts;
  const children: Record<string, unknown> = {};
  for (const [name, group] of Object.entries(inventory.groups)) {
    const node: Record<string, unknown> = {};
    if (group.hosts.length > 0) node.hosts = Object.fromEntries(group.hosts.map((h) => [h, null]));
    if (Object.keys(group.vars).length > 0) node.vars = group.vars;
    if (group.children.length > 0) node.children = Object.fromEntries(group.children.map((c) => [c, null]));
    children[name] = Object.keys(node).length > 0 ? node : null;
  }
  if (Object.keys(children).length > 0) all.children = children;
  return { all };
}

/**
 * PyYAML's 1.1 resolver reads a plain float only with a dot in the mantissa and a sign in the
 * exponent (`1.0e+21`; `1e+21` stays a string), and JavaScript prints integers from 1e21 up
 * with an exponent. This tag writes such numbers, and -0, in the form PyYAML reads as a float.
 */
const pyYamlFloat: ScalarTag = {
  identify: (value) =>
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!Number.isInteger(value) || Math.abs(value) >= 1e21 || Object.is(value, -0)),
  default: true,
  tag: 'tag:yaml.org,2002:float',
  // PyYAML's float pattern. The yaml package prefers tags with a `test` when several identify a
  // value, so this one must have it to win over the built-in float tag.
  test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?$/,
  resolve: (text) => Number(text.replace(/_/g, '')),
  stringify: ({ value }) => {
    const text = Object.is(value, -0) ? '-0.0' : String(value);
    const [mantissa = '', exponent] = text.split('e');
    const withDot = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
    return exponent === undefined ? withDot : `${withDot}e${exponent}`;
  },
};

/**
 * Strings that every YAML 1.1 reader takes as strings when plain. Anything else is
 * double-quoted: PyYAML gives meaning to more plain scalars than the yaml package's 1.1 schema
 * knows (`=` is its `value` tag, `<<` a merge key, `1._` a float), and quoting is always safe.
 */
const SAFE_PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const YAML11_WORDS = /^(?:y|n|yes|no|true|false|on|off|null)$/i;

export function formatYamlInventory(inventory: Inventory): string {
  const doc = new Document(toDocument(inventory), {
    ...YAML_OPTIONS,
    aliasDuplicateObjects: false,
    customTags: (tags) => [pyYamlFloat, ...tags],
  });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && (!SAFE_PLAIN.test(node.value) || YAML11_WORDS.test(node.value))) {
        node.type = 'QUOTE_DOUBLE';
        // The 1.1 schema writes `<<` bare whatever the quoting (a merge key): tag it as a string.
        if (node.value === '<<') node.tag = 'tag:yaml.org,2002:str';
      }
    },
  });
  // No folding: a folded implicit key is a syntax error. Then escape what PyYAML does not take
  // raw: its reader rejects non-printable characters in the stream, and YAML 1.1 counts NEL,
  // U+2028 and U+2029 as line breaks. Every string holding one is double-quoted (SAFE_PLAIN),
  // so the escapes land inside double quotes, where they are valid.
  return doc
    .toString({ lineWidth: 0 })
    .replace(/[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, (ch) => {
      const code = ch.codePointAt(0)!;
      return code <= 0xff
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`;
    });
}

export function formatJsonInventory(inventory: Inventory): string {
  return `${JSON.stringify(toDocument(inventory), null, 2)}\n`;
}

/**
 * Reads the format of dynamic inventory scripts and of `ansible-inventory --list`: groups at the
 * top level with `hosts` and `children` as lists, host variables under `_meta.hostvars`.
 */
function fromListDocument(doc: Record<string, unknown>): Inventory {
  const inv = new InventoryBuilder();
  const meta = doc._meta;
  const hostvars = isObject(meta) && isObject(meta.hostvars) ? meta.hostvars : {};
  for (const [host, vars] of Object.entries(hostvars)) inv.host(host, isObject(vars) ? vars : {});
  for (const [name, node] of Object.entries(doc)) {
    if (name === '_meta' || !isObject(node)) continue;
    if (name !== 'all' && name !== 'ungrouped') inv.group(name);
    if (isObject(node.vars)) inv.group(name, node.vars);
    const groups = name === 'all' || name === 'ungrouped' ? [] : [name];
    if (Array.isArray(node.hosts))
      for (const h of node.hosts) if (typeof h === 'string') inv.host(h, {}, groups);
    if (Array.isArray(node.children) && name !== 'all') {
      inv.group(
        name,
        {},
        node.children.filter((c): c is string => typeof c === 'string'),
      );
    }
  }
  return inv.build();
}

/** Writes the dynamic inventory script format (what a script prints for `--list`). */
export function formatListInventory(inventory: Inventory): string {
  validateInventory(inventory);
  const grouped = new Set(Object.values(inventory.groups).flatMap((g) => g.hosts));
  const children = new Set(Object.values(inventory.groups).flatMap((g) => g.children));
  const doc: Record<string, unknown> = {
    _meta: { hostvars: inventory.hosts },
    all: {
      children: [...Object.keys(inventory.groups).filter((g) => !children.has(g)), 'ungrouped'],
      ...(Object.keys(inventory.vars).length > 0 ? { vars: inventory.vars } : {}),
    },
    ungrouped: { hosts: Object.keys(inventory.hosts).filter((h) => !grouped.has(h)) },
  };
  for (const [name, group] of Object.entries(inventory.groups)) {
    doc[name] = {
      hosts: group.hosts,
      ...(group.children.length > 0 ? { children: group.children } : {}),
      ...(Object.keys(group.vars).length > 0 ? { vars: group.vars } : {}),
    };
  }
  return `${JSON.stringify(doc, null, 2)}\n`;
}
