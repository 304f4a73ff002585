/**
 * deploy/Dockerfile cannot be built here (no Docker engine), so what broke it before is checked
 * from its text: the runtime stage's unprivileged user can write the embedded store's directory,
 * and the build context leaves out what would bloat or leak into a layer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './repo-paths.js';

const dockerfile = readFileSync(join(REPO_ROOT, 'deploy/Dockerfile'), 'utf8');
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

describe('deploy/Dockerfile', () => {
  it('points the embedded store at a directory its user owns, declared a volume', () => {
    const user = /^USER (\S+)$/m.exec(runtimeStage)?.[1];
    const dataDir = /^ENV LEVIATHAN_STORE_DATA_DIR=(\S+)$/m.exec(runtimeStage)?.[1];
    expect(user).toBe('node');
    expect(dataDir).toBeDefined();
    // Created before USER drops root, owned by that user.
    const create = new RegExp(`^RUN install -d -o ${user} -g ${user} -m 07[0-7]0 ${dataDir}$`, 'm').exec(
      runtimeStage,
    );
    expect(create, `runtime stage creates ${dataDir} owned by ${user}`).not.toBeNull();
    expect(create!.index).toBeLessThan(runtimeStage.indexOf(`USER ${user}`));
    expect(runtimeStage).toContain(`VOLUME ${dataDir}`);
  });

  it('has a .dockerignore that keeps host builds, databases and secrets out of the context', () => {
    for (const pattern of ['**/node_modules', '**/dist', '.git', '**/.leviathan-data', '.env', '**/*.pem']) {
      expect(ignored, pattern).toContain(pattern);
    }
    // What the build stage needs stays in: nothing ignores the sources, the lockfile or the world.
    for (const needed of [
      'packages',
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      'examples',
      'tsconfig.base.json',
    ]) {
      expect(
        ignored.some((pattern) => pattern === needed || pattern === `${needed}/`),
        needed,
      ).toBe(false);
    }
  });
});
