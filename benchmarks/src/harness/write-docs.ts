import { writeBenchmarksDoc } from './docs.js';
import { paths } from './paths.js';

/** `pnpm bench:docs`: regenerates docs/benchmarks.md from the committed baselines and history. */
writeBenchmarksDoc();
console.log(`written ${paths.doc}`);
