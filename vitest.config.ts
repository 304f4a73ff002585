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
