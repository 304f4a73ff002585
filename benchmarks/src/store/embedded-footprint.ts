import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench-result.js';

/**
 * The embedded store's budget: ready in under a second, under 50 MB added. Measured in a
 * fresh child process, so the RSS growth is the store's alone: open + migrate of a new data
 * directory, then 1000 character saves. The reference of each figure is its budget (a fixed
 * number, not a measurement), so the ratio reads as "fraction of the budget used", and each is
 * gated against its budget, not against a baseline: the open time moved 0.01–0.09 of the budget
 * (10–90 ms) over 11 runs at load average 1.4–4.3, which a baseline tolerance of +40 % around
 * 25 ms cannot hold, while the requirement (under a second) holds with a wide margin.
 */
export function measureEmbeddedFootprint(): BenchResult[] {
  const probe = fileURLToPath(new URL('./embedded-footprint-probe.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', probe], {
    encoding: 'utf8',
  });
  const { openMs, rssMb } = JSON.parse(out.trim().split('\n').at(-1) as string) as {
    openMs: number;
    rssMb: number;
  };
  return [
    {
      name: 'store: embedded cold open + migrate (budget 1000 ms)',
      unit: 'ms',
      value: openMs,
      reference: 1000,
      ratio: openMs / 1000,
      gate: 'budget',
      gateReason: 'the embedded store must be ready in under a second (a requirement).',
    },
    {
      name: 'store: embedded RSS added, open + 1000 saves (budget 50 MB)',
      unit: 'MB',
      value: rssMb,
      reference: 50,
      ratio: rssMb / 50,
      gate: 'budget',
      gateReason: 'the embedded store may add at most 50 MB of RSS (a requirement).',
    },
  ];
}
