import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Where the compiled server processes go (git-ignored). */
const OUT_DIR = fileURLToPath(new URL('../../.build/macro/', import.meta.url));
/** The workspace packages the compiled server imports from their `dist/` at run time. */
const BUILT_PACKAGES = ['engine', 'protocol'] as const;

/**
 * The macro and transport suites' servers run as users run them: compiled JavaScript on plain
 * `node`, the engine from its built `dist/` (what `npm i @leviathan/engine` installs), no loader.
 *
 * Why not tsx, as before: its loader costs every process it runs in CPU that has nothing to do
 * with the server (V8's helper threads and the main thread working on a larger heap), and that
 * cost went into the reference as much as into the engine, flattering the ratio. Measured, the raw
 * echo answering at the tick at 2,000 commands/s, 6 s windows, alternately: under tsx 48.3, 39.2,
 * 26.7 µs/cmd (main thread 310–470 ms, helper threads 30–60 ms); compiled 30.0, 30.0, 25.0 µs/cmd
 * (main thread 300–360 ms, helper threads 0). The engine moved less (from source 41.7–66.2 µs/cmd
 * over 5 rounds, from dist 46.4–59.8 over 5), so its ratio to the echo at the tick rose from a
 * median of 1.19 to 1.80 in the same session: the honest figure is the second.
 */
export async function compiledServerProcess(): Promise<string> {
  compiled ??= compile();
  return compiled;
}

let compiled: Promise<string> | undefined;

async function compile(): Promise<string> {
  ensureBuilt();
  // Each entry on its own (the game is loaded by the engine's shard threads, by path); the
  // packages stay imports, resolved from benchmarks/node_modules without the `source` condition.
  await build({
    entryPoints: ['server-process', 'echo-game'].map((name) =>
      fileURLToPath(new URL(`./${name}.ts`, import.meta.url)),
    ),
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return join(OUT_DIR, 'server-process.mjs');
}

/** Builds the packages the server imports when a `dist/` is missing or older than its sources. */
function ensureBuilt(): void {
  const stale = BUILT_PACKAGES.filter((name) => {
    const dist = join(REPO_ROOT, 'packages', name, 'dist', 'index.js');
    return (
      !existsSync(dist) || newestSource(join(REPO_ROOT, 'packages', name, 'src')) > statSync(dist).mtimeMs
    );
  });
  if (stale.length === 0) return;
  process.stderr.write(
    `[bench] building @leviathan/engine and its dependencies (${stale.map((n) => `@leviathan/${n}`).join(', ')}: dist/ missing or older than src/)\n`,
  );
  execFileSync('pnpm', ['--filter', '@leviathan/engine...', 'run', 'build'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The newest modification time of the non-test TypeScript files under `dir`, in ms. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
