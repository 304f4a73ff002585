import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The files of the engine's error classes (errors.ts exports them all). */
const ERROR_FILES = ['errors.ts', 'engine-error.ts', 'store/store-errors.ts', 'cluster/cluster-errors.ts'];
const source = ERROR_FILES.map((f) => readFileSync(new URL(`../src/${f}`, import.meta.url), 'utf8')).join(
  '\n',
);
const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const engineDocs = docs.slice(docs.indexOf('## @leviathan/engine'));

describe('@leviathan/engine error codes', () => {
  const codes = [...source.matchAll(/'(LEV_ERR_[A-Z0-9_]+)'/g)].map((m) => m[1]!);

  it('finds the codes of the error files', () => {
    expect(codes.length).toBeGreaterThan(10);
    for (const code of [
      'LEV_ERR_ENGINE_SHARD_CRASHED',
      'LEV_ERR_STORE_UNAVAILABLE',
      'LEV_ERR_CLUSTER_UNAVAILABLE',
    ])
      expect(codes).toContain(code);
  });

  it('documents every code in docs/errors.md under "## @leviathan/engine"', () => {
    expect(docs).toContain('## @leviathan/engine');
    const missing = [...new Set(codes)].filter((code) => !engineDocs.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  it('gives each runtime error class its own code', () => {
    const engineCodes = codes.filter((c) => c.startsWith('LEV_ERR_ENGINE_'));
    expect(new Set(engineCodes).size).toBe(engineCodes.length);
  });
});
