import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker is its own entry: worker threads load dist/worker.js next to dist/index.js.
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', worker: 'src/worker/worker-main.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
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
