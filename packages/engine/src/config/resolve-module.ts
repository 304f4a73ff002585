import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Resolves a module option (`game`) to a file URL, from a directory (the working directory): what
 * `import(specifier)` would find in a module that sits there. The engine cannot simply import a
 * package name itself: Node would look for it from the engine's own files, and under pnpm's strict
 * layout a game package is not visible from there. So the main thread resolves the name once, from
 * where the server was started, and every thread imports the file URL.
 *
 * Node 20 resolves from another directory only behind a flag (`import.meta.resolve(name, parent)`),
 * so this follows its ESM rules for what packages use: `node_modules` up the tree (and a package
 * naming itself), the `exports` map with the conditions `node`, `import`, `default` and those the
 * process runs with (`--conditions`), else `main`, else `index.js`. Returns undefined when no
 * package of that name is installed.
 */
export function resolveModuleFrom(specifier: string, dir: string): string | undefined {
  if (specifier.startsWith('file:')) return specifier;
  if (specifier.startsWith('.') || isAbsolute(specifier)) return pathToFileURL(resolve(dir, specifier)).href;
  const { name, subpath } = splitSpecifier(specifier);
  const root = findPackage(name, dir);
  if (root === undefined) return undefined;
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports?: unknown;
    main?: unknown;
  };
  const target =
    manifest.exports !== undefined
      ? exportTarget(manifest.exports, subpath, activeConditions())
      : subpath === '.'
        ? typeof manifest.main === 'string'
          ? manifest.main
          : 'index.js'
        : subpath;
  if (target === undefined) return undefined;
  return pathToFileURL(resolve(root, target)).href;
}

/** `@scope/pkg/sub/path` → `{ name: '@scope/pkg', subpath: './sub/path' }`. */
function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const size = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(size).join('/');
  return { name: parts.slice(0, size).join('/'), subpath: rest === '' ? '.' : `./${rest}` };
}

/** The package's directory (symlinks resolved, as Node does): `node_modules` up from `dir`, or itself. */
function findPackage(name: string, dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    const own = join(d, 'package.json');
    if (existsSync(own) && readName(own) === name) return d;
    if (dirname(d) === d) return undefined;
  }
}

function readName(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** `node`, `import`, `default`, and every `--conditions` (`-C`) of this process and NODE_OPTIONS. */
function activeConditions(): Set<string> {
  const conditions = new Set(['node', 'import', 'default']);
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const m = /^(?:--conditions|-C)(?:=(.*))?$/.exec(arg);
    if (m === null) continue;
    const value = m[1] ?? args[++i];
    if (value) conditions.add(value);
  }
  return conditions;
}

/** The target of `subpath` in an `exports` field, with subpath patterns (`./*`). */
function exportTarget(exports: unknown, subpath: string, conditions: Set<string>): string | undefined {
  const isSubpathMap =
    exports !== null &&
    typeof exports === 'object' &&
    !Array.isArray(exports) &&
    Object.keys(exports).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? conditionalTarget(exports, conditions) : undefined;
  const map = exports as Record<string, unknown>;
  if (subpath in map) return conditionalTarget(map[subpath], conditions);
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      const match = subpath.slice(prefix.length, subpath.length - suffix.length);
      return conditionalTarget(value, conditions)?.replaceAll('*', match);
    }
  }
  return undefined;
}

/** A target string, the first of an array that resolves, or the first matching condition's. */
function conditionalTarget(value: unknown, conditions: Set<string>): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const target = conditionalTarget(item, conditions);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [condition, nested] of Object.entries(value)) {
    if (!conditions.has(condition)) continue;
    const target = conditionalTarget(nested, conditions);
    if (target !== undefined) return target;
  }
  return undefined;
}
