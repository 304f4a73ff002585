import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * One vitest run over the whole workspace. Workspace packages resolve to their TypeScript sources
 * through the `source` export condition, so tests never need a prior build; the packages' own
 * `dist/` is still built by `pnpm test` because worker threads and CLIs run from it.
 */
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/src/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'benchmarks/**/*.test.ts',
      'tools/*/src/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // The fleet test has its own run (vitest.fleet.config.ts).
    exclude: ['**/node_modules/**', '**/dist/**', 'test/infrastructure/fleet/**'],
    globalSetup: ['tools/test-support/src/global-setup.ts'],
    // At least two files at a time, even on a 2-core machine (vitest's default there is one): most
    // of the suite waits on servers, sockets and child processes, not on the CPU. Measured on 2
    // cores, the Node 22 line took 22-23 minutes one file at a time and 12-16 two at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', ['junit', { outputFile: 'reports/junit.xml' }]] : ['default'],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/*.generated.ts'],
      reporter: ['text-summary', 'cobertura', 'html'],
      reportsDirectory: 'coverage',
    },
  },
});
