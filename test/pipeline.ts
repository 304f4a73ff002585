import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/** The GitLab CI keywords that are not jobs. */
export const RESERVED = new Set([
  'stages',
  'variables',
  'default',
  'include',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
]);

export interface Job {
  stage?: string;
  extends?: string | string[];
  needs?: Array<string | { job: string }>;
  script?: string | string[];
  before_script?: string | string[];
  after_script?: string | string[];
  [key: string]: unknown;
}

/** pnpm commands that are not package scripts (the ones the pipeline and its scripts use, and kin). */
export const PNPM_BUILTINS = new Set([
  'install',
  'i',
  'add',
  'remove',
  'update',
  'config',
  'exec',
  'dlx',
  'audit',
  'pack',
  'deploy',
  'publish',
  'store',
  'list',
  'why',
  'outdated',
  'rebuild',
  'prune',
  'fetch',
  'env',
  'setup',
  'root',
  'bin',
]);

/** Options of pnpm that take a value. */
const VALUE_OPTIONS = new Set([
  '--filter',
  '-F',
  '--dir',
  '-C',
  '--pack-destination',
  '--audit-level',
  '--reporter',
]);

export interface PnpmCall {
  /** The line it came from. */
  line: string;
  /** The package named by --filter (a name or a path pattern), or undefined for the root. */
  filter: string | undefined;
  recursive: boolean;
  /** The pnpm command: a builtin, or `run` for scripts (given as `run x` or the `x` shorthand). */
  command: string;
  /** The script, when the command runs one. */
  script: string | undefined;
}

/** Every pnpm invocation in a shell line (several per line with &&, ;, |, or in a loop). */
export function pnpmCalls(line: string): PnpmCall[] {
  const calls: PnpmCall[] = [];
  for (const segment of line.split(/&&|\|\||;|\|/)) {
    const words = segment
      .trim()
      .split(/\s+/)
      .map((w) => w.replace(/^["']|["']$/g, ''));
    const start = words.indexOf('pnpm');
    if (start < 0) continue;
    // `npm install --global pnpm@…` installs pnpm; it is not a call.
    if (words[start - 1] !== undefined && /^(npm|--global|-g)$/.test(words[start - 1] as string)) continue;
    let filter: string | undefined;
    let recursive = false;
    let i = start + 1;
    for (; i < words.length; i++) {
      const w = words[i] as string;
      if (w === '-r' || w === '--recursive') recursive = true;
      else if (w === '--filter' || w === '-F') filter = words[++i];
      else if (w.startsWith('--filter=')) filter = w.slice('--filter='.length);
      else if (VALUE_OPTIONS.has(w)) i++;
      else if (w.startsWith('-')) continue;
      else break;
    }
    const command = words[i];
    if (command === undefined || command.startsWith('@') || command.startsWith('pnpm@')) continue;
    if (command === 'run') calls.push({ line, filter, recursive, command, script: words[i + 1] });
    else if (PNPM_BUILTINS.has(command)) calls.push({ line, filter, recursive, command, script: undefined });
    else calls.push({ line, filter, recursive, command: 'run', script: command });
  }
  return calls;
}

/** Every workspace package: name → directory, from the folders pnpm-workspace.yaml lists. */
export function workspacePackages(root: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const parent of ['packages', 'examples', 'tools']) {
    const dir = join(root, parent);
    if (!existsSync(dir)) continue;
    for (const child of readdirSync(dir)) {
      const manifest = join(dir, child, 'package.json');
      if (existsSync(manifest)) found.set(JSON.parse(readFileSync(manifest, 'utf8')).name, join(dir, child));
    }
  }
  const bench = join(root, 'benchmarks', 'package.json');
  if (existsSync(bench)) found.set(JSON.parse(readFileSync(bench, 'utf8')).name, join(root, 'benchmarks'));
  return found;
}

export function scriptsOf(dir: string): Record<string, string> {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts ?? {}) as Record<
    string,
    string
  >;
}

export const asList = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** A `!reference [job, key, …]` left in place by the parser, for resolvePipeline to replace. */
class Reference {
  constructor(readonly path: string[]) {}
}

/**
 * .gitlab-ci.yml as GitLab reads it: anchors and `<<` merge keys resolved (YAML 1.1 merge keys are
 * off by default in the yaml package's 1.2 schema), and every `!reference [job, key, …]` replaced
 * by what it points at, a list spliced into the list around it as GitLab does for scripts.
 */
export function parsePipeline(text: string): Record<string, unknown> {
  const doc = parseDocument(text, {
    merge: true,
    customTags: [
      {
        tag: '!reference',
        collection: 'seq',
        resolve: (seq) => new Reference((seq.toJSON() as unknown[]).map(String)),
      },
    ],
  });
  if (doc.errors.length > 0) throw doc.errors[0];
  const root = doc.toJS() as Record<string, unknown>;
  const resolve = (value: unknown, seen: string[]): unknown => {
    if (value instanceof Reference) {
      const key = value.path.join('.');
      if (seen.includes(key)) throw new Error(`!reference cycle: ${[...seen, key].join(' -> ')}`);
      let target: unknown = root;
      for (const part of value.path) {
        target = (target as Record<string, unknown> | undefined)?.[part];
        if (target === undefined) throw new Error(`!reference [${value.path.join(', ')}] points at nothing`);
      }
      return resolve(target, [...seen, key]);
    }
    if (Array.isArray(value)) {
      return value.flatMap((item) => {
        const resolved = resolve(item, seen);
        return item instanceof Reference && Array.isArray(resolved) ? resolved : [resolved];
      });
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, seen)]));
    }
    return value;
  };
  return resolve(root, []) as Record<string, unknown>;
}

/**
 * The Debian packages (from Debian, or the vendors' APT repositories) that the suite's tests ask
 * for, read from their sources: `hasTool(command, package)` (with CI=true a missing one fails the
 * run), and the Compose plugin behind the compose test's own `docker compose` probe.
 */
export function packagesTestsNeed(root: string): Map<string, string> {
  const needed = new Map<string, string>();
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], {
    cwd: root,
    encoding: 'utf8',
  }).split('\n');
  for (const file of files.filter((f) => f !== '')) {
    const source = readFileSync(join(root, file), 'utf8');
    for (const m of source.matchAll(/\bhasTool\(\s*'([\w.-]+)'(?:\s*,\s*'([\w.-]+)')?\s*\)/g)) {
      needed.set(m[2] ?? (m[1] as string), `${file}: hasTool('${m[1]}')`);
    }
    if (/spawnSync\('docker', \['compose'/.test(source)) {
      needed.set('docker-compose-plugin', `${file}: docker compose`);
    }
  }
  return needed;
}

/** The packages of every `apt-get install` in shell lines, versions (`name=1.2.*`) split off. */
export function aptInstalls(lines: string[]): Map<string, string | undefined> {
  const installed = new Map<string, string | undefined>();
  for (const line of lines) {
    for (const m of line.matchAll(/\bapt-get install ([^;&|>]*)/g)) {
      for (const word of (m[1] as string).split(/\s+/)) {
        const bare = word.replace(/^["']|["']$/g, '');
        if (bare === '' || bare.startsWith('-')) continue;
        const [name, version] = bare.split('=', 2) as [string, string | undefined];
        installed.set(name, version);
      }
    }
  }
  return installed;
}
