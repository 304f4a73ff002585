import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { paths } from './paths.js';

/**
 * `text` formatted by the repository's biome as the file `asPath` (its extension picks the
 * language), so that a file the harness writes (the benchmarks page, the baseline) is committed as
 * `pnpm lint` wants it.
 */
export function biomeFormat(text: string, asPath: string): string {
  const result = spawnSync(
    join(paths.root, 'node_modules/.bin/biome'),
    ['format', `--stdin-file-path=${asPath}`],
    {
      cwd: paths.root,
      input: text,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0)
    throw new Error(`biome could not format ${asPath}: ${result.stderr || result.error?.message}`);
  return result.stdout;
}
