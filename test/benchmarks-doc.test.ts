import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formattedBenchmarksDoc, renderBenchmarksDoc } from '../benchmarks/src/harness/docs.js';
import { paths } from '../benchmarks/src/harness/paths.js';

describe('docs/benchmarks.md', () => {
  it('is what `pnpm bench:docs` generates from the committed baselines and history (not stale)', () => {
    expect(readFileSync(paths.doc, 'utf8')).toBe(formattedBenchmarksDoc());
  });

  it('describes every suite and shows the accepted figures', () => {
    const doc = renderBenchmarksDoc();
    for (const suite of ['protocol', 'shard', 'ipc', 'engine', 'macro', 'store', 'loadgen'])
      expect(doc).toContain(`### ${suite}`);
    expect(doc).toContain('## Instruction counts (deterministic gate)');
  });
});
