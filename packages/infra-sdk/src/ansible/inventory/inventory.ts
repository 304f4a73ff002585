import { InventoryInvalidError } from '../errors.js';

/** Variables of a host or a group. */
export type InventoryVars = Readonly<Record<string, unknown>>;

export interface InventoryGroup {
  /** Hosts directly in the group (their variables live in `Inventory.hosts`). */
  readonly hosts: readonly string[];
  /** Names of child groups. */
  readonly children: readonly string[];
  readonly vars: InventoryVars;
}

/**
 * A static Ansible inventory: every host once with its own variables, the groups (never the
 * implicit `all` and `ungrouped`) and the variables of `all`. The same model is read from and
 * written to INI, YAML and JSON.
 */
export interface Inventory {
  readonly hosts: Readonly<Record<string, InventoryVars>>;
  readonly groups: Readonly<Record<string, InventoryGroup>>;
  readonly vars: InventoryVars;
}

/** Groups Ansible creates by itself; an inventory may set their variables but not define them. */
export const IMPLICIT_GROUPS: ReadonlySet<string> = new Set(['all', 'ungrouped']);

/** Ansible's valid group and variable names (a warning or an error in Ansible otherwise). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A name that Ansible accepts as a group name: every other character becomes `_`, as
 * Ansible's `to_safe_group_name` does, and a leading digit gets a `_` prefix.
 */
export function safeGroupName(name: string): string {
  const replaced = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(replaced) || replaced === '' ? `_${replaced}` : replaced;
}

/** A mutable builder, for code that assembles an inventory step by step. */
export class InventoryBuilder {
  #hosts = new Map<string, Record<string, unknown>>();
  #groups = new Map<string, { hosts: string[]; children: string[]; vars: Record<string, unknown> }>();
  #vars: Record<string, unknown> = {};

  /** Adds a host (or merges variables into it, later values winning) and puts it in groups. */
  host(name: string, vars: InventoryVars = {}, groups: readonly string[] = []): this {
    const own = this.#hosts.get(name) ?? {};
    Object.assign(own, vars);
    this.#hosts.set(name, own);
    for (const group of groups) {
      const g = this.#group(group);
      if (!g.hosts.includes(name)) g.hosts.push(name);
    }
    return this;
  }

  /** Declares a group, merges its variables and adds child groups. */
  group(name: string, vars: InventoryVars = {}, children: readonly string[] = []): this {
    if (name === 'all') {
      Object.assign(this.#vars, vars);
      return this;
    }
    const g = this.#group(name);
    Object.assign(g.vars, vars);
    for (const child of children) {
      this.#group(child);
      if (!g.children.includes(child)) g.children.push(child);
    }
    return this;
  }

  #group(name: string) {
    let g = this.#groups.get(name);
    if (g === undefined) {
      g = { hosts: [], children: [], vars: {} };
      this.#groups.set(name, g);
    }
    return g;
  }

  hasGroup(name: string): boolean {
    return this.#groups.has(name);
  }

  build(): Inventory {
    const groups: Record<string, InventoryGroup> = {};
    for (const [name, g] of this.#groups) {
      if (name === 'ungrouped' && g.children.length === 0 && Object.keys(g.vars).length === 0) continue;
      groups[name] = { hosts: [...g.hosts], children: [...g.children], vars: { ...g.vars } };
    }
    const hosts: Record<string, InventoryVars> = {};
    for (const [name, vars] of this.#hosts) hosts[name] = { ...vars };
    return { hosts, groups, vars: { ...this.#vars } };
  }
}

/** An unpaired UTF-16 surrogate: not Unicode, and lost on the way to a UTF-8 file. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Refuses what some format would change silently: JSON writes NaN as null, YAML as `.nan`. */
function checkText(owner: string, value: unknown, depth = 0): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new InventoryInvalidError(`${owner}: ${value} cannot be written to an inventory`);
  } else if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) {
      throw new InventoryInvalidError(
        `${owner}: a name or value holds an unpaired surrogate, which is not valid Unicode`,
      );
    }
  } else if (typeof value === 'object' && value !== null && depth < 100) {
    for (const [k, v] of Object.entries(value)) {
      checkText(owner, k, depth + 1);
      checkText(owner, v, depth + 1);
    }
  }
}

/** Checks what Ansible would reject or misread, before an inventory is written. */
export function validateInventory(inventory: Inventory): void {
  const checkVars = (owner: string, vars: InventoryVars) => {
    checkText(owner, vars);
    for (const key of Object.keys(vars)) {
      if (!NAME.test(key))
        throw new InventoryInvalidError(`${owner}: ${JSON.stringify(key)} is not a valid variable name`);
    }
  };
  checkVars('all', inventory.vars);
  for (const [host, vars] of Object.entries(inventory.hosts)) {
    checkText(`host ${host}`, host);
    if (host === '' || /[\s,#;[\]=]/.test(host) || host.startsWith('-')) {
      throw new InventoryInvalidError(`${JSON.stringify(host)} is not a valid host name`);
    }
    checkVars(`host ${host}`, vars);
  }
  for (const [name, group] of Object.entries(inventory.groups)) {
    if (!NAME.test(name) || IMPLICIT_GROUPS.has(name)) {
      throw new InventoryInvalidError(
        `${JSON.stringify(name)} is not a valid group name (see safeGroupName)`,
      );
    }
    checkVars(`group ${name}`, group.vars);
    for (const host of group.hosts) {
      if (!(host in inventory.hosts))
        throw new InventoryInvalidError(`group ${name} lists unknown host ${host}`);
    }
    for (const child of group.children) {
      if (!(child in inventory.groups))
        throw new InventoryInvalidError(`group ${name} lists unknown child ${child}`);
    }
  }
}
