import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTest } from '../src/runner/run-test.js';
import type { Summary } from '../src/summary/summary.js';

// A scenario whose options come from the environment as the module is evaluated, as most do.
const SCENARIO = `
export const options = {
  scenarios: {
    once: { executor: 'shared-iterations', vus: 1, iterations: Number(process.env.RELOAD_ITERATIONS) },
  },
};
export default async function () {}
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A scenario file in a new project of the given module kind. */
function project(type: 'module' | 'commonjs'): string {
  const dir = mkdtempSync(join(tmpdir(), `loadgen-reload-${type}-`));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'reload', type }));
  writeFileSync(join(dir, 'scenario.ts'), SCENARIO);
  return join(dir, 'scenario.ts');
}

function iterations(s: Summary): number {
  const m = s.metrics.iterations;
  return m?.type === 'counter' ? m.values.count : 0;
}

describe('runTest on the same scenario file twice in one process', () => {
  for (const type of ['module', 'commonjs'] as const) {
    it(`reads each run's environment (${type} project)`, async () => {
      const scenario = project(type);
      const run = (n: number) =>
        runTest({ scenario, workers: 1, env: { RELOAD_ITERATIONS: String(n) }, onWarning: () => {} });
      expect(iterations((await run(2)).summary)).toBe(2);
      // A cached module would run 2 again.
      expect(iterations((await run(5)).summary)).toBe(5);
      expect(iterations((await run(3)).summary)).toBe(3);
    });
  }
});
