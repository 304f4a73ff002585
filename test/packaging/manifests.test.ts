import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publishedPackages } from './packed-project.js';

/**
 * What every published package.json must say besides what publint and attw check (`pnpm
 * check:packages`): its licence file, and a published `exports` map that is the workspace's
 * without the `source` condition (whose src/ files are not published), and no peer that npm would
 * install into a JavaScript project that has no use for it.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const license = readFileSync(join(root, 'LICENSE'), 'utf8');

type Exports = Record<string, string | Record<string, unknown>>;
interface Manifest {
  license?: string;
  files?: string[];
  exports: Exports;
  typesVersions?: Record<string, Record<string, string[]>>;
  publishConfig?: { exports?: Exports };
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

it('the repository is MIT-licensed by its contributors', () => {
  expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the Leviathan contributors\n/);
});

describe.each(publishedPackages(root))('$name', ({ dir }) => {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

  it('ships the repository LICENSE and says MIT', () => {
    expect(manifest.license).toBe('MIT');
    expect(existsSync(join(dir, 'LICENSE'))).toBe(true);
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(license);
    expect(manifest.files).toContain('LICENSE');
  });

  it('publishes its exports without the source condition', () => {
    const withoutSource = Object.fromEntries(
      Object.entries(manifest.exports).map(([entry, value]) => {
        if (typeof value === 'string') return [entry, value];
        const { source: _source, ...rest } = value;
        return [entry, rest];
      }),
    );
    expect(manifest.publishConfig?.exports).toEqual(withoutSource);
  });

  it('maps every subpath for node10 type resolution (typesVersions)', () => {
    const subpaths = Object.entries(manifest.exports).filter(
      ([entry, value]) => entry !== '.' && typeof value === 'object',
    );
    for (const [entry, value] of subpaths) {
      const types = (value as { import: { types: string } }).import.types;
      expect(manifest.typesVersions?.['*']?.[entry.slice(2)], entry).toEqual([types]);
    }
  });

  it('makes @types/node an optional peer: npm installs required peers, JavaScript users need none', () => {
    if (manifest.peerDependencies?.['@types/node'] === undefined) return;
    expect(manifest.peerDependenciesMeta?.['@types/node']).toEqual({ optional: true });
  });
});
