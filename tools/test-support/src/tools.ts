import { spawnSync } from 'node:child_process';
import { inject } from 'vitest';

/**
 * Whether a command-line tool from a Debian package is on PATH. Outside CI a missing tool means
 * "skip, and say so"; in CI (CI=true) a missing tool is a failure, never a skip.
 */
export function hasTool(command: string, debianPackage = command): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
  if (found) return true;
  const message = `${command} is not installed (Debian package: ${debianPackage})`;
  if (process.env.CI) throw new Error(`CI=true and ${message}`);
  console.warn(`[test] ${message}: skipping the tests that need it`);
  return false;
}

/** The Postgres superuser URL given to this run, or '' where there is none (outside CI). */
export function databaseUrl(): string {
  return inject('databaseUrl');
}

/**
 * Whether this machine can start a throwaway redis-server: outside CI a missing binary skips the
 * cluster tests, and says so; in CI it fails the run.
 */
export function redisAvailable(): boolean {
  return hasTool('redis-server', 'redis-server');
}
