import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The fleet test (test/infrastructure/fleet): every Ansible role applied over SSH to test hosts
 * that boot like VMs. Its own run, after the main one (`pnpm test:fleet`, the last step of
 * `pnpm test`): it takes minutes of both cores, which would starve the timing of the other tests,
 * and it does not depend on the Node line that runs vitest (the hosts run their own Node).
 * (Not mergeConfig: it would append this include list to the main one.)
 */
export default defineConfig({
  resolve: base.resolve,
  ssr: base.ssr,
  test: {
    include: ['test/infrastructure/fleet/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI
      ? ['default', ['junit', { outputFile: 'reports/junit-fleet.xml' }]]
      : ['default'],
  },
});
