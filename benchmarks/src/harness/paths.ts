import { fileURLToPath } from 'node:url';

const at = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** Where the harness reads and writes, relative to this file (benchmarks/src/harness). */
export const paths = {
  root: at('../../../'),
  src: at('../'),
  baseline: at('../../baseline.json'),
  countedBaseline: at('../../baseline-instructions.json'),
  history: at('../../history.ndjson'),
  latest: at('../../results/latest.json'),
  doc: at('../../../docs/benchmarks.md'),
} as const;
