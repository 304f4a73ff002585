import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigInvalidError, GameLoadError } from '../errors.js';
import { resolveGameModule } from '../shard/load-game.js';
import { resolveModuleFrom } from './resolve-module.js';

const root = mkdtempSync(join(tmpdir(), 'lev-resolve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeJson(file: string, value: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(value));
}

// A project as pnpm lays it out: the package is a symlink into a store, visible from the project
// (and below it) but not from the engine's own files.
const store = join(root, 'store', 'game-pkg');
writeJson(join(store, 'package.json'), {
  name: '@acme/game',
  exports: {
    '.': { browser: './dist/browser.js', import: { types: './dist/index.d.ts', default: './dist/index.js' } },
    './game': { require: './dist/game.cjs', import: './dist/game.js' },
    './zones/*': './dist/zones/*.js',
    './package.json': './package.json',
  },
});
writeJson(join(root, 'store', 'plain', 'package.json'), { name: 'plain', main: 'lib/main.js' });
const project = join(root, 'project');
mkdirSync(join(project, 'node_modules', '@acme'), { recursive: true });
mkdirSync(join(project, 'src', 'deep'), { recursive: true });
symlinkSync(store, join(project, 'node_modules', '@acme', 'game'));
symlinkSync(join(root, 'store', 'plain'), join(project, 'node_modules', 'plain'));
const url = (...parts: string[]) => pathToFileURL(join(...parts)).href;

describe('resolveModuleFrom', () => {
  it('finds a package up the tree, through its symlink, by its exports map (import, not require)', () => {
    expect(resolveModuleFrom('@acme/game/game', join(project, 'src', 'deep'))).toBe(
      url(store, 'dist/game.js'),
    );
    expect(resolveModuleFrom('@acme/game', project)).toBe(url(store, 'dist/index.js'));
    expect(resolveModuleFrom('@acme/game/zones/harbor', project)).toBe(url(store, 'dist/zones/harbor.js'));
  });

  it('falls back to main without an exports map, and says nothing for what is not exported or installed', () => {
    expect(resolveModuleFrom('plain', project)).toBe(url(root, 'store/plain/lib/main.js'));
    expect(resolveModuleFrom('@acme/game/secret', project)).toBeUndefined();
    expect(resolveModuleFrom('@acme/other', project)).toBeUndefined();
    expect(resolveModuleFrom('@acme/game', root)).toBeUndefined();
  });

  it('lets a package name itself, and takes paths relative to the directory', () => {
    expect(resolveModuleFrom('@acme/game/game', store)).toBe(url(store, 'dist/game.js'));
    expect(resolveModuleFrom('./games/a.js', project)).toBe(url(project, 'games/a.js'));
    expect(resolveModuleFrom('file:///x/y.js', project)).toBe('file:///x/y.js');
  });
});

describe('resolveGameModule', () => {
  it('requires a game, and names a package it cannot find', () => {
    expect(() => resolveGameModule(undefined, project)).toThrow(ConfigInvalidError);
    expect(() => resolveGameModule(undefined, project)).toThrow(/game: required.*--game \.\/my-game\.js/);
    expect(() => resolveGameModule('@acme/nothing/game', project)).toThrow(GameLoadError);
    expect(() => resolveGameModule('@acme/nothing/game', project)).toThrow(/no package "@acme\/nothing"/);
    expect(resolveGameModule('@acme/game/game', project)).toBe(url(store, 'dist/game.js'));
  });
});
