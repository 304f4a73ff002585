/**
 * Writes docs/configuration.md from the option table, formatted as the repository's biome
 * formats markdown: `pnpm --filter @leviathan/engine docs:config`.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigDocs } from './config-docs.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CONFIG_DOCS_PATH = `${ROOT}docs/configuration.md`;

/** The page as it is committed: rendered, then formatted by biome (it aligns the tables). */
export function formattedConfigDocs(): string {
  const result = spawnSync(
    `${ROOT}node_modules/.bin/biome`,
    ['format', '--stdin-file-path=docs/configuration.md'],
    {
      cwd: ROOT,
      input: renderConfigDocs(),
      encoding: 'utf8',
    },
  );
  if (result.status !== 0)
    throw new Error(`biome could not format the page: ${result.stderr || result.error?.message}`);
  return result.stdout;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(CONFIG_DOCS_PATH, formattedConfigDocs());
  process.stdout.write(`wrote ${CONFIG_DOCS_PATH}\n`);
}
