import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from './config-docs.js';
import { CONFIG_OPTIONS } from './config-options.js';
import { CONFIG_DOCS_PATH, formattedConfigDocs } from './write-config-docs.js';

describe('docs/configuration.md', () => {
  it('is what the option table generates (run `pnpm --filter @leviathan/engine docs:config` when this fails)', () => {
    const page = readFileSync(CONFIG_DOCS_PATH, 'utf8');
    expect(
      page === formattedConfigDocs(),
      'docs/configuration.md is stale: run pnpm --filter @leviathan/engine docs:config',
    ).toBe(true);
  });

  it('documents every option with its flag, variable, default and unit', () => {
    const page = renderConfigDocs();
    for (const o of CONFIG_OPTIONS) {
      expect(page).toContain(`### \`${o.key}\``);
      expect(page).toContain(`\`${o.env}\``);
      if (o.flag) expect(page).toContain(`\`${o.flag}`);
      expect(page).toContain(o.defaultText);
      if (o.unit) expect(page).toContain(`| unit | ${o.unit} |`);
    }
  });
});
