import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Every published package, as built by `pnpm build`: each entry of its `exports` map exists for
 * import and require, with types, and loads under plain node both ways.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
type Conditions = { import: { types: string; default: string }; require: { types: string; default: string } };
interface Manifest {
  name: string;
  private?: boolean;
  exports: Record<string, Conditions | string>;
}

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir) }))
  .filter(({ dir }) => existsSync(join(dir, 'package.json')))
  .map(({ dir }) => ({
    dir,
    manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest,
  }))
  .filter(({ manifest }) => !manifest.private);

beforeAll(() => {
  // `pnpm test` builds first; a lone `vitest run` builds what is missing, never over an existing dist.
  for (const { dir } of packages) {
    if (!existsSync(join(dir, 'dist'))) execFileSync('pnpm', ['run', 'build'], { cwd: dir, stdio: 'ignore' });
  }
}, 300_000);

describe.each(packages)('$manifest.name', ({ dir, manifest }) => {
  const entries = Object.entries(manifest.exports).filter(
    (e): e is [string, Conditions] => typeof e[1] === 'object',
  );

  it('has an exports map with import, require and types for each entry', () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const [entry, conditions] of entries) {
      for (const file of [
        conditions.import.default,
        conditions.import.types,
        conditions.require.default,
        conditions.require.types,
      ]) {
        expect(existsSync(join(dir, file)), `${entry}: ${file}`).toBe(true);
      }
    }
  });

  it.each(entries.map(([entry]) => entry))('loads %s with require() and import', (entry) => {
    const specifier = join(manifest.name, entry);
    const keysOf = (code: string, type: 'commonjs' | 'module') =>
      execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], {
        cwd: dir,
        encoding: 'utf8',
      }).trim();
    // A default export is the property `default` of the CommonJS build: compared apart from it, as
    // the import side leaves it out (a game module such as @leviathan/mud/game has one).
    const required = keysOf(
      `console.log(Object.keys(require('${specifier}')).filter((k) => k !== 'default').sort().join(','))`,
      'commonjs',
    );
    const imported = keysOf(
      `const m = await import('${specifier}'); console.log(Object.keys(m).filter((k) => k !== 'default').sort().join(','))`,
      'module',
    );
    expect(imported).toBe(required);
  });
});
