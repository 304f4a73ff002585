import { defineConfig } from 'tsup';

// The declarations name Node's types (EventEmitter, Buffer, streams): the reference makes a
// consumer's TypeScript load @types/node (a peer dependency) even under `"types": []`, which
// `tsc --init` writes since TypeScript 5.9, so the package type-checks without extra flags.
const NODE_TYPES = '/// <reference types="node" />';

export default defineConfig({
  // The bin is its own entry (dist/bin/pve-exporter.js, package.json `bin`), without declarations.
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'bin/pve-exporter': 'src/bin/pve-exporter.ts',
  },
  format: ['esm', 'cjs'],
  dts: { banner: NODE_TYPES, entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' } },
  clean: true,
  // Maps without `sourcesContent`: stack traces still name src/… files and lines, and the tarball
  // does not carry a second copy of every source file.
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  target: 'node20',
  platform: 'node',
});
