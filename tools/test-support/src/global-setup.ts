import type { TestProject } from 'vitest/node';
import { findPostgresBin, startThrowawayCluster, type ThrowawayCluster } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Postgres superuser URL, or '' when none could be had outside CI. */
    databaseUrl: string;
  }
}

let cluster: ThrowawayCluster | undefined;

/**
 * Gives every test a real Postgres: DATABASE_URL when set, else a throwaway cluster from the
 * machine's binaries, removed after the run. Outside CI a machine without Postgres skips the
 * database tests; in CI it fails the run.
 */
export async function setup(project: TestProject): Promise<void> {
  const given = process.env.DATABASE_URL;
  if (given) {
    project.provide('databaseUrl', given);
    return;
  }
  if (!findPostgresBin()) {
    if (process.env.CI) throw new Error('CI=true but no Postgres binaries: install postgresql');
    console.warn('[test] no Postgres on this machine: database tests are skipped');
    project.provide('databaseUrl', '');
    return;
  }
  cluster = await startThrowawayCluster();
  project.provide('databaseUrl', cluster.url);
}

export function teardown(): void {
  cluster?.stop();
}
