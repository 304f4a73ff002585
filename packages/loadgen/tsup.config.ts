import { defineConfig } from 'tsup';

// The declarations name Node's types (EventEmitter, Buffer, streams): the reference makes a
// consumer's TypeScript load @types/node (a peer dependency) even under `"types": []`, which
// `tsc --init` writes since TypeScript 5.9, so the package type-checks without extra flags.
const NODE_TYPES = '/// <reference types="node" />';

export default defineConfig({
  // The worker is its own entry: worker threads load dist/worker.js next to dist/index.js.
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', worker: 'src/worker/worker-main.ts' },
  format: ['esm', 'cjs'],
  dts: {
    banner: NODE_TYPES,
    entry: { index: 'src/index.ts' },
  },
  clean: true,
  // Maps without `sourcesContent`: stack traces still name src/… files and lines, and the tarball
  // does not carry a second copy of every source file.
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  shims: true,
  target: 'node20',
  platform: 'node',
});
