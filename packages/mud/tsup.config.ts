import { defineConfig } from 'tsup';

// The declarations name Node's types (EventEmitter, Buffer, streams): the reference makes a
// consumer's TypeScript load @types/node (a peer dependency) even under `"types": []`, which
// `tsc --init` writes since TypeScript 5.9, so the package type-checks without extra flags.
const NODE_TYPES = '/// <reference types="node" />';

/**
 * The game module is its own entry, at the same relative path under dist/ as under src/: a shard
 * worker imports it by file URL (`mudGameModule()` in src/paths.ts), and `@leviathan/mud/game`
 * names it for `leviathan serve --game`.
 */
export default defineConfig({
  entry: { index: 'src/index.ts', 'game/mud-game': 'src/game/mud-game.ts' },
  format: ['esm', 'cjs'],
  dts: {
    banner: NODE_TYPES,
    entry: { index: 'src/index.ts', 'game/mud-game': 'src/game/mud-game.ts' },
  },
  clean: true,
  // Maps without `sourcesContent`: stack traces still name src/… files and lines, and the tarball
  // does not carry a second copy of every source file.
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  target: 'node20',
  platform: 'node',
  shims: true,
});
