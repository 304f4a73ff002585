/**
 * Writes docs/configuration.md from the option table:
 * `pnpm --filter @leviathan/engine docs:config` (or `tsx packages/engine/src/config/write-config-docs.ts`).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigDocs } from './config-docs.js';

export const CONFIG_DOCS_PATH = fileURLToPath(new URL('../../../../docs/configuration.md', import.meta.url));

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(CONFIG_DOCS_PATH, renderConfigDocs());
  process.stdout.write(`wrote ${CONFIG_DOCS_PATH}\n`);
}
