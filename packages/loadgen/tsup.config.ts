import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker is its own entry: worker threads load dist/worker.js next to dist/index.js.
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', worker: 'src/worker/worker-main.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  shims: true,
  target: 'node20',
  platform: 'node',
});
