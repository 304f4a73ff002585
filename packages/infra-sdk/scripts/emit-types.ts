/**
 * Emits `src/proxmox/api.generated.ts`: one `PveApi` interface keyed `'METHOD /path'` with the
 * parameters and return type of every endpoint. Type-only, so it costs nothing at runtime.
 *
 * Size: the qemu config parameter set (≈ 500 keys once `unused[n]` and friends are expanded) recurs
 * in several endpoints; object types that recur and are large are emitted once as a named alias,
 * which keeps the file well under 1 MiB and lets tsc check each of them once.
 */
import type { Endpoint, ParamSpec, ReadSchema } from './proxmox-schema.js';
import { expandIndexed } from './proxmox-schema.js';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string): string => (IDENT.test(name) ? name : JSON.stringify(name));

/** Object types at least this long (characters) that occur twice or more become aliases. */
const ALIAS_MIN_CHARS = 160;

interface Rendered {
  /** Text with no aliases: the identity of the type. */
  readonly raw: string;
  /** Text as emitted (aliases substituted). */
  readonly out: string;
}

class Renderer {
  readonly counts = new Map<string, number>();
  readonly aliases = new Map<string, { name: string; out: string }>();
  readonly #pendingNames = new Map<string, string>();
  /** Raw texts to emit as aliases (pass 2); undefined while counting (pass 1). */
  readonly #aliasable: ReadonlySet<string> | undefined;

  constructor(aliasable: ReadonlySet<string> | undefined) {
    this.#aliasable = aliasable;
  }

  /** Names an alias for a raw text the first time it is met (pass 2 only). */
  nameFor(raw: string, hint: string): string | undefined {
    if (!this.#aliasable?.has(raw)) return undefined;
    let name = this.#pendingNames.get(raw);
    if (!name) {
      name = `${hint}${this.#pendingNames.size}`;
      this.#pendingNames.set(raw, name);
    }
    return name;
  }

  object(entries: Array<[string, Rendered, boolean]>, indexSig: boolean, hint: string): Rendered {
    const rawParts: string[] = [];
    const outParts: string[] = [];
    for (const [name, r, optional] of entries) {
      rawParts.push(`${key(name)}${optional ? '?' : ''}: ${r.raw};`);
      outParts.push(`${key(name)}${optional ? '?' : ''}: ${r.out};`);
    }
    if (indexSig) {
      rawParts.push('[key: string]: unknown;');
      outParts.push('[key: string]: unknown;');
    }
    const raw = rawParts.length ? `{ ${rawParts.join(' ')} }` : '{}';
    const out = outParts.length ? `{ ${outParts.join(' ')} }` : '{}';
    if (raw.length >= ALIAS_MIN_CHARS) this.counts.set(raw, (this.counts.get(raw) ?? 0) + 1);
    const alias = this.nameFor(raw, hint);
    if (alias) {
      if (!this.aliases.has(raw)) this.aliases.set(raw, { name: alias, out });
      return { raw, out: alias };
    }
    return { raw, out };
  }

  type(spec: ParamSpec, input: boolean, hint: string): Rendered {
    const same = (t: string): Rendered => ({ raw: t, out: t });
    switch (spec.type) {
      case 'string':
        return same(spec.enum ? spec.enum.map((e) => JSON.stringify(e)).join(' | ') : 'string');
      case 'integer':
      case 'number':
        return same('number');
      case 'boolean':
        return same('PveBoolean');
      case 'null':
        return same('null');
      case 'array': {
        const item = spec.items ? this.type(spec.items, input, hint) : same('unknown');
        const wrap = (t: string): string => (/[|&]/.test(t) && !t.startsWith('{') ? `Array<${t}>` : `${t}[]`);
        return { raw: wrap(item.raw), out: wrap(item.out) };
      }
      case 'object': {
        if (!spec.properties) return same('Record<string, unknown>');
        return this.props(spec.properties, input, spec.additionalProperties === true, hint);
      }
      default:
        return same('unknown');
    }
  }

  props(
    props: Readonly<Record<string, ParamSpec>>,
    input: boolean,
    indexSig: boolean,
    hint: string,
  ): Rendered {
    const entries: Array<[string, Rendered, boolean]> = [];
    for (const [name, spec] of Object.entries(props)) {
      const t = this.type(spec, input, hint);
      for (const expanded of expandIndexed(name, spec)) entries.push([expanded, t, spec.optional]);
    }
    return this.object(entries, indexSig, hint);
  }
}

function entryLines(r: Renderer, e: Endpoint): { doc: string; params: Rendered; returns: Rendered } {
  const params = r.props(e.params, true, e.additionalParams, 'Params');
  const returns = r.type(e.returns, false, 'Result');
  const first = e.description.split('\n')[0]!.replace(/\*\//g, '*\\/').trim();
  return { doc: first, params, returns };
}

/** Renders the whole file text (without the header). */
export function emitTypes(schema: ReadSchema): string {
  // Pass 1: count the large object types.
  const counter = new Renderer(undefined);
  for (const e of schema.endpoints) entryLines(counter, e);
  const aliasable = new Set([...counter.counts].filter(([, n]) => n >= 2).map(([raw]) => raw));

  // Pass 2: emit, substituting aliases.
  const r = new Renderer(aliasable);
  const lines: string[] = [];
  for (const e of schema.endpoints) {
    const { doc, params, returns } = entryLines(r, e);
    if (doc) lines.push(`  /** ${doc} */`);
    lines.push(
      `  ${JSON.stringify(`${e.method} ${e.path}`)}: { params: ${params.out}; returns: ${returns.out} };`,
    );
  }
  const aliasLines = [...r.aliases.values()].map((a) => `export type ${a.name} = ${a.out};`);
  return [
    '/** Proxmox booleans: sent as 0/1 on the wire, usually answered as 0/1. */',
    'export type PveBoolean = boolean | 0 | 1;',
    '',
    ...aliasLines,
    '',
    '/** Every endpoint of the API: `params` (path, query and body together) and `returns` (`data`). */',
    'export interface PveApi {',
    ...lines,
    '}',
    '',
  ].join('\n');
}
