import { defineConfig } from 'tsup';

// The declarations name Node's types (EventEmitter, Buffer, streams): the reference makes a
// consumer's TypeScript load @types/node (a peer dependency) even under `"types": []`, which
// `tsc --init` writes since TypeScript 5.9, so the package type-checks without extra flags.
const NODE_TYPES = '/// <reference types="node" />';

/**
 * Worker entries are emitted at the same relative path under dist/ as under src/, because the
 * engine finds them with `engineFile()` (src/ipc/engine-files.ts): a worker thread loads a file,
 * not a bundled function.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'store/index': 'src/store/index.ts',
    'auth/index': 'src/auth/index.ts',
    'shard/shard-worker': 'src/shard/shard-worker.ts',
    'gateway/gateway-worker': 'src/gateway/gateway-worker.ts',
    'jobs/job-worker': 'src/jobs/job-worker.ts',
    'cli/main': 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: {
    banner: NODE_TYPES,
    entry: { index: 'src/index.ts', 'store/index': 'src/store/index.ts', 'auth/index': 'src/auth/index.ts' },
  },
  clean: true,
  // Optional dependencies are not external by default (tsup externalises dependencies and peer
  // dependencies only): without this, ink, react and infra-sdk would be bundled into the CLI, and
  // an install that omitted them would still carry them. Only `leviathan top` imports them, when
  // it runs (infra-sdk's Prometheus client only for `top --prometheus`).
  external: ['ink', 'react', '@leviathan/infra-sdk'],
  // Maps without `sourcesContent`: stack traces still name src/… files and lines (with
  // --enable-source-maps), but the published tarball does not carry a second copy of every source
  // file. Measured on the packed engine: 978 KB → 504 KB (unpacked 3.81 → 2.02 MB; maps 2.52 → 0.72 MB).
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  target: 'node20',
  platform: 'node',
  shims: true,
});
