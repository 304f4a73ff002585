// `node --conditions=source --import tsx benchmarks/src/store/run-store.ts`: the store figures alone.
import { runStoreBenchmarks } from './index.js';

console.table(await runStoreBenchmarks());
