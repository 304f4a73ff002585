import { InventoryInvalidError, InventoryParseError } from '../errors.js';
import { expandHostPattern } from './host-pattern.js';
import { type Inventory, InventoryBuilder, type InventoryVars, validateInventory } from './inventory.js';
import { formatPythonValue, parsePythonValue } from './python-literal.js';
import { shlexQuote, shlexSplit } from './shlex.js';

// The patterns of Ansible's INI plugin (plugins/inventory/ini.py, _compile_patterns).
const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;
const COMMENT = new Set(['#', ';']);

/** `host:port`, also after a range (`web[1:3]:2222`); not for IPv6 addresses (more colons). */
function splitPort(pattern: string): { host: string; port: number | undefined } {
  const outsideRanges = pattern.replace(/\[[^\]]*\]/g, '');
  const m = /:(\d+)$/.exec(pattern);
  if (!m || outsideRanges.indexOf(':') !== outsideRanges.lastIndexOf(':'))
    return { host: pattern, port: undefined };
  return { host: pattern.slice(0, m.index), port: Number(m[1]) };
}

/**
 * Reads an INI inventory as Ansible does: hosts before any section are ungrouped; `[g]`,
 * `[g:vars]`, `[g:children]`; host ranges; `host:port`; values through Python's literal_eval
 * (see parsePythonValue). A `[g:vars]` or `[g:children]` entry naming a group never declared is
 * an error, as in Ansible.
 */
export function parseIniInventory(text: string): Inventory {
  const inv = new InventoryBuilder();
  const declared = new Set<string>(['all', 'ungrouped']);
  const pending = new Map<string, number>();
  let group = 'ungrouped';
  let state = 'hosts';
  // The line boundaries of Python's str.splitlines(), which Ansible's INI reader uses.
  const lines = text.split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/);
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const line = lines[n]!.trim();
    if (line === '' || COMMENT.has(line[0]!)) continue;
    const section = SECTION.exec(line);
    if (section) {
      group = section[1]!;
      state = section[2] ?? 'hosts';
      if (state !== 'hosts' && state !== 'children' && state !== 'vars') {
        throw new InventoryParseError(`section [${group}:${state}] has unknown type: ${state}`, lineNo);
      }
      if (state === 'vars') {
        if (!declared.has(group) && !pending.has(group)) pending.set(group, lineNo);
      } else {
        declared.add(group);
        pending.delete(group);
        if (group !== 'all' && group !== 'ungrouped') inv.group(group);
      }
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw new InventoryParseError(`invalid section entry: ${line}`, lineNo);
    }
    if (state === 'hosts') {
      let tokens: string[];
      try {
        tokens = shlexSplit(line);
      } catch (error) {
        throw new InventoryParseError(`cannot parse host definition ${line}`, lineNo, { cause: error });
      }
      if (tokens.length === 0) continue;
      const { host, port } = splitPort(tokens[0]!);
      const vars: Record<string, unknown> = {};
      if (port !== undefined) vars.ansible_port = port;
      for (const t of tokens.slice(1)) {
        const eq = t.indexOf('=');
        if (eq < 0) throw new InventoryParseError(`expected key=value host variable, got ${t}`, lineNo);
        vars[t.slice(0, eq)] = parsePythonValue(t.slice(eq + 1));
      }
      const groups = group === 'all' || group === 'ungrouped' ? [] : [group];
      for (const name of expandHostPattern(host, lineNo)) inv.host(name, vars, groups);
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) throw new InventoryParseError(`expected key=value, got ${line}`, lineNo);
      const key = line.slice(0, eq).trim();
      inv.group(group, { [key]: parsePythonValue(line.slice(eq + 1).trim()) });
    } else {
      const child = GROUP_NAME.exec(line)?.[1];
      if (child === undefined) throw new InventoryParseError(`expected group name, got ${line}`, lineNo);
      if (!declared.has(child) && !pending.has(child)) pending.set(child, lineNo);
      inv.group(group, {}, [child]);
    }
  }
  for (const [name, lineNo] of pending) {
    if (!declared.has(name))
      throw new InventoryParseError(`group ${name} is used but never declared`, lineNo);
  }
  return inv.build();
}

/**
 * A value as INI text: bare where literal_eval reads the bare text back the same and nothing in
 * it is special to shlex, Python's strip() or its line splitting; else a Python literal.
 */
function iniValue(value: unknown, path: string, forShlex: boolean): string {
  if (
    typeof value === 'string' &&
    /^[A-Za-z0-9_./@%+:,-]+$/.test(value) &&
    parsePythonValue(value) === value
  ) {
    return value;
  }
  const literal = formatPythonValue(value, path);
  return forShlex && /[\s#'"\\]/.test(literal) ? shlexQuote(literal) : literal;
}

function hostLine(host: string, vars: InventoryVars): string {
  const parts = [host];
  for (const [key, value] of Object.entries(vars))
    parts.push(`${key}=${iniValue(value, `${host}.${key}`, true)}`);
  return parts.join(' ');
}

/**
 * Writes an inventory as INI that Ansible reads back to the same model, types included: values
 * go out as Python literals where the bare text would read differently (`'22'` stays a string).
 */
export function formatIniInventory(inventory: Inventory): string {
  validateInventory(inventory);
  for (const host of Object.keys(inventory.hosts)) {
    if (/^[^:]+:\d+$/.test(host) || /\[.*:.*\]/.test(host)) {
      throw new InventoryInvalidError(`host ${host} would be read as host:port or a range in INI`);
    }
  }
  const firstGroup = new Map<string, string>();
  for (const [name, group] of Object.entries(inventory.groups)) {
    for (const host of group.hosts) if (!firstGroup.has(host)) firstGroup.set(host, name);
  }
  const out: string[] = [];
  for (const [host, vars] of Object.entries(inventory.hosts)) {
    if (!firstGroup.has(host)) out.push(hostLine(host, vars));
  }
  const varsSection = (name: string, vars: InventoryVars) => {
    const entries = Object.entries(vars);
    if (entries.length === 0) return;
    out.push('', `[${name}:vars]`);
    for (const [key, value] of entries) out.push(`${key} = ${iniValue(value, `${name}.${key}`, false)}`);
  };
  varsSection('all', inventory.vars);
  for (const [name, group] of Object.entries(inventory.groups)) {
    out.push('', `[${name}]`);
    for (const host of group.hosts) {
      out.push(firstGroup.get(host) === name ? hostLine(host, inventory.hosts[host] ?? {}) : host);
    }
    varsSection(name, group.vars);
    if (group.children.length > 0) out.push('', `[${name}:children]`, ...group.children);
  }
  return `${out.join('\n').replace(/^\n+/, '')}\n`;
}
