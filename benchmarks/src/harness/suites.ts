import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from '../bench-result.js';

export interface Suite {
  /** The folder under benchmarks/src, such as `protocol` or `engine`. */
  name: string;
  run: () => Promise<BenchResult[]>;
}

/** Folders of benchmarks/src that are not suites. */
const NOT_SUITES = new Set(['harness']);

/**
 * Finds the suites: each folder of benchmarks/src with an index.ts is one, and every export of
 * it named `run...Benchmarks` is run. Adding a suite is adding a folder; nothing to register.
 */
export async function discoverSuites(srcDir: string): Promise<Suite[]> {
  const suites: Suite[] = [];
  const folders = readdirSync(srcDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_SUITES.has(d.name) && existsSync(join(srcDir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
  for (const folder of folders) {
    const module = (await import(pathToFileURL(join(srcDir, folder, 'index.ts')).href)) as Record<
      string,
      unknown
    >;
    for (const [exportName, value] of Object.entries(module)) {
      if (/^run\w*Benchmarks$/.test(exportName) && typeof value === 'function') {
        suites.push({ name: folder, run: value as () => Promise<BenchResult[]> });
      }
    }
  }
  return suites;
}
