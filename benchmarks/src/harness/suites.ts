import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from '../bench-result.js';

export interface Suite {
  /** The folder under benchmarks/src, such as `protocol` or `engine`. */
  name: string;
  run: () => Promise<BenchResult[]>;
}

/** Folders of benchmarks/src that are not suites. */
const NOT_SUITES = new Set(['harness', 'counted']);

const DECLARES_SUITE = /export\s+(async\s+)?function\s+run\w*Benchmarks\s*\(/;

/**
 * The module of a suite folder: its index.ts, or else the one .ts file that declares an exported
 * `run...Benchmarks` function (read as text, not imported: other files of a folder may be scripts
 * that run when imported, such as a server started in a child process).
 */
export function suiteEntry(dir: string): string | undefined {
  const index = join(dir, 'index.ts');
  if (existsSync(index)) return index;
  const declaring = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .filter((f) => DECLARES_SUITE.test(readFileSync(join(dir, f), 'utf8')));
  return declaring.length === 1 ? join(dir, declaring[0] as string) : undefined;
}

/**
 * Finds the suites: each folder of benchmarks/src with an entry module is one, and every export
 * of it named `run...Benchmarks` is run. Adding a suite is adding a folder; nothing to register.
 */
export async function discoverSuites(srcDir: string): Promise<Suite[]> {
  const suites: Suite[] = [];
  const folders = readdirSync(srcDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_SUITES.has(d.name))
    .map((d) => d.name)
    .sort();
  for (const folder of folders) {
    const entry = suiteEntry(join(srcDir, folder));
    if (entry === undefined) continue;
    const module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(module)) {
      if (/^run\w*Benchmarks$/.test(exportName) && typeof value === 'function') {
        suites.push({ name: folder, run: value as () => Promise<BenchResult[]> });
      }
    }
  }
  return suites;
}
