import { execFileSync } from 'node:child_process';

/** The commit a run measures: short hash, `+dirty` when the worktree has uncommitted changes. */
export function currentCommit(cwd: string): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd,
      encoding: 'utf8',
    }).trim();
    return dirty === '' ? hash : `${hash}+dirty`;
  } catch {
    return 'unknown';
  }
}
