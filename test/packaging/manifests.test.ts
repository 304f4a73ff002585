import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prebuiltPackages, publishedPackages } from './packed-project.js';

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

/**
 * The engine's platform packages of uWebSockets.js: each installs on one os and cpu (and glibc on
 * Linux), carries upstream's binaries for the Node lines the engine supports and upstream's
 * licence, and is an optional dependency of the engine, so that npm installs this one alone.
 */
describe('the uWebSockets.js platform packages', () => {
  const engine = JSON.parse(readFileSync(join(root, 'packages/engine/package.json'), 'utf8')) as {
    optionalDependencies: Record<string, string>;
    dependencies: Record<string, string>;
    engines: { node: string };
  };
  const upstream = dirname(
    createRequire(join(root, 'packages/uws-prebuilt/linux-x64/package.json')).resolve(
      'uwebsockets/package.json',
    ),
  );

  it('covers every platform that upstream builds for the supported Node lines, and the engine lists each', () => {
    const platforms = prebuiltPackages(root).map((p) => `${p.os}-${p.cpu}`);
    const upstreamPlatforms = new Set(
      readdirSync(upstream)
        .map((f) => /^uws_(\w+)_(\w+)_137\.node$/.exec(f))
        .filter((m) => m !== null)
        .map((m) => `${m[1]}-${m[2]}`),
    );
    expect(platforms.sort()).toEqual([...upstreamPlatforms].sort());
    for (const { name } of prebuiltPackages(root))
      expect(engine.optionalDependencies[name]).toBe('workspace:*');
    expect(Object.keys(engine.dependencies).filter((d) => /uws|uwebsockets/i.test(d))).toEqual([]);
  });

  describe.each(prebuiltPackages(root))('$name', ({ dir, os, cpu }) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      license: string;
      files: string[];
      libc?: string[];
      engines: { node: string };
      devDependencies: Record<string, string>;
    };

    it("says upstream's licence and ships upstream's LICENSE", () => {
      expect(manifest.license).toBe('Apache-2.0');
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(
        readFileSync(join(upstream, 'LICENSE'), 'utf8'),
      );
      expect(manifest.files).toContain('LICENSE');
    });

    it('installs where its binaries load: its os and cpu, glibc on Linux, the engine’s Node lines', () => {
      expect(manifest.libc).toEqual(os === 'linux' ? ['glibc'] : undefined);
      expect(manifest.engines.node).toBe(engine.engines.node);
      expect(manifest.devDependencies.uwebsockets).toBe(
        JSON.parse(readFileSync(join(upstream, 'package.json'), 'utf8')).version,
      );
    });

    it("carries upstream's binary, byte for byte, for Node 20, 22 and 24 and no other", () => {
      const binaries = readdirSync(dir).filter((f) => f.endsWith('.node'));
      expect(binaries.sort()).toEqual([115, 127, 137].map((abi) => `uws_${os}_${cpu}_${abi}.node`));
      for (const binary of binaries)
        expect(readFileSync(join(dir, binary)).equals(readFileSync(join(upstream, binary))), binary).toBe(
          true,
        );
    });
  });
});
