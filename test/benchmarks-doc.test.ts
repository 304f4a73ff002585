import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBaseline } from '../benchmarks/src/harness/baseline.js';
import { formattedBenchmarksDoc, renderBenchmarksDoc } from '../benchmarks/src/harness/docs.js';
import { paths } from '../benchmarks/src/harness/paths.js';
import { SPREAD_FACTOR, suiteOfCase } from '../benchmarks/src/harness/tolerance.js';

describe('docs/benchmarks.md', () => {
  it('is what `pnpm bench:docs` generates from the committed baselines and history (not stale)', () => {
    expect(readFileSync(paths.doc, 'utf8')).toBe(formattedBenchmarksDoc());
  });

  it('describes every suite and shows the accepted figures', () => {
    const doc = renderBenchmarksDoc();
    for (const suite of [
      'protocol',
      'shard',
      'ipc',
      'macro',
      'crowd',
      'adversarial',
      'store',
      'loadgen',
      'cluster',
      'dashboard',
    ])
      expect(doc).toContain(`### ${suite}`);
    expect(doc).toContain('## Instruction counts (deterministic gate)');
  });

  it('states the tolerance rule, and per case how it is judged and why', () => {
    const doc = renderBenchmarksDoc();
    expect(doc).toContain(`max(floor of the case's kind, ${SPREAD_FACTOR} × (max − min) / median)`);
    const baseline = readBaseline(paths.baseline);
    expect(baseline).toBeDefined();
    for (const [name, c] of Object.entries(baseline?.cases ?? {})) {
      const suite = suiteOfCase(name);
      const shown = name.startsWith(`${suite}:`) ? name.slice(suite.length + 1).trim() : name;
      const row = doc.split('\n').find((l) => l.startsWith(`| ${shown} |`));
      expect(row, name).toBeDefined();
      if (c.gate === 'info') expect(row).toContain('informational');
      else if (c.gate === 'budget') expect(row).toContain('budget: ratio ≤ 1');
      else expect(row).toContain(`+${Math.round((c.tolerance ?? Number.NaN) * 100)}%`);
      if (c.runs !== undefined) expect(row).toContain(`${c.runs}: ${c.min?.toFixed(2)}–${c.max?.toFixed(2)}`);
      if (c.gate === 'info' || c.gate === 'budget') expect(doc).toContain(c.gateReason ?? 'no reason given');
      if (c.toleranceRule === 'hand') expect(doc).toContain(c.toleranceReason ?? 'no reason given');
    }
  });
});
