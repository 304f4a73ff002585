import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const engineDocs = docs.slice(docs.indexOf('## @leviathan/engine'));

describe('@leviathan/engine error codes', () => {
  const codes = [...source.matchAll(/'(LEV_ERR_[A-Z0-9_]+)'/g)].map((m) => m[1]!);

  it('finds the codes of src/errors.ts', () => {
    expect(codes.length).toBeGreaterThan(10);
    expect(codes).toContain('LEV_ERR_ENGINE_SHARD_CRASHED');
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
