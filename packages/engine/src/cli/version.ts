import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@leviathan/engine';

/**
 * The engine's version, read from its package.json: found by walking up from this module, which
 * sits at different depths in the sources (src/cli/) and the build (dist/, dist/cli/).
 */
export function engineVersion(): string {
  // import.meta first: the CJS build has none (esbuild leaves it empty) and has __dirname instead.
  const meta = (import.meta as { url?: string }).url;
  let dir = meta !== undefined ? dirname(fileURLToPath(meta)) : __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return 'unknown';
}
