import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The workspace's published libraries: every `packages/*` whose package.json is not private. */
export function publishedPackages(root: string): { dir: string; name: string }[] {
  return manifestsIn(join(root, 'packages'))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ dir, name: manifest.name as string }));
}

/** A platform package of uWebSockets.js (`packages/uws-prebuilt/*`): one os, one cpu. */
export interface PrebuiltPackage {
  readonly dir: string;
  readonly name: string;
  readonly os: string;
  readonly cpu: string;
}

/** The engine's platform packages of uWebSockets.js, every platform. */
export function prebuiltPackages(root: string): PrebuiltPackage[] {
  return manifestsIn(join(root, 'packages', 'uws-prebuilt')).map(({ dir, manifest }) => ({
    dir,
    name: manifest.name as string,
    os: (manifest.os as string[])[0]!,
    cpu: (manifest.cpu as string[])[0]!,
  }));
}

/**
 * What `npm i @leviathan/engine` installs from this workspace on this machine: the libraries and
 * the one platform package whose os and cpu match (npm refuses to install another by name).
 */
export function installablePackages(root: string): { dir: string; name: string }[] {
  const native = prebuiltPackages(root).filter((p) => p.os === process.platform && p.cpu === process.arch);
  return [...publishedPackages(root), ...native.map(({ dir, name }) => ({ dir, name }))];
}

function manifestsIn(parent: string): { dir: string; manifest: Record<string, unknown> }[] {
  return readdirSync(parent)
    .map((d) => join(parent, d))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }));
}

/** The version the workspace pins of a dependency (the root's devDependencies, else a package's). */
export function pinnedVersion(root: string, name: string): string {
  const manifests = [
    join(root, 'package.json'),
    ...publishedPackages(root).map((p) => join(p.dir, 'package.json')),
  ];
  for (const file of manifests) {
    const m = JSON.parse(readFileSync(file, 'utf8'));
    const v = m.devDependencies?.[name] ?? m.dependencies?.[name];
    if (typeof v === 'string' && /^\d/.test(v)) return v;
  }
  throw new Error(`the workspace pins no version of ${name}`);
}

/**
 * Packs every package that npm would install here (the libraries and this platform's
 * uWebSockets.js) with `pnpm pack` (as `pnpm publish` would: workspace ranges replaced,
 * publishConfig applied) into one directory, once per test run. Builds a library first when its
 * dist/ is missing (a lone `vitest run`; `pnpm test` has built them).
 */
export function packTarballs(root: string, into: string): string[] {
  mkdirSync(into, { recursive: true });
  return installablePackages(root).map(({ dir }) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (manifest.scripts?.build !== undefined && !existsSync(join(dir, 'dist')))
      execFileSync('pnpm', ['run', 'build'], { cwd: dir, stdio: 'ignore' });
    const out = execFileSync('pnpm', ['pack', '--pack-destination', into], { cwd: dir, encoding: 'utf8' });
    const tarball = out.trim().split('\n').pop()!.trim();
    return tarball.startsWith('/') ? tarball : join(into, tarball);
  });
}

export interface PackedProject {
  readonly dir: string;
  readonly tarballs: readonly string[];
  /** Runs a command in the project (or a directory of it) and returns its stdout. */
  run(cmd: string, args: readonly string[], cwd?: string): string;
}

/**
 * A project as a new user makes one: `npm init -y` (a CommonJS package), then a real
 * `npm install` of the packed tarballs and of the tools the docs tell users to add, at the
 * versions the workspace pins; the `tsc --init` of `initTypescript` (the installed package's name)
 * writes its tsconfig.json. One install serves the
 * examples of every page (each in its own directory); `--prefer-offline` takes what npm's cache
 * already has.
 */
export function createPackedProject(
  root: string,
  extras: readonly string[],
  initTypescript = 'typescript',
): PackedProject {
  const dir = mkdtempSync(join(tmpdir(), 'leviathan-docs-'));
  const tarballs = packTarballs(root, join(dir, '.tarballs'));
  const run = (cmd: string, args: readonly string[], cwd = dir): string =>
    execFileSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
  run('npm', ['init', '-y']);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.type === 'module')
    throw new Error('npm init -y made an ES module project; the test expects CommonJS');
  run('npm', ['install', '--prefer-offline', '--no-audit', ...tarballs, ...extras]);
  // By its path: when two installed packages provide a `tsc`, `npx tsc` runs either.
  run('node', [join(dir, 'node_modules', initTypescript, 'bin', 'tsc'), '--init']);
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  return { dir, tarballs, run };
}
