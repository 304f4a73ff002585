import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers (a restart, the loader of another shard, an editor) see either
 * the old text or the new one, never half of it: a temporary file beside it (the same file
 * system, so the rename is atomic on POSIX), then a rename over the old one. The temporary name
 * ends in `.tmp`, so the world loader (which reads `*.yaml`) never takes it for a zone.
 *
 * Synchronous on purpose: builder commands run inside a tick and must know the file is written
 * before they change the running world (a few KB; rare commands of a few builders).
 */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, 'utf8');
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
