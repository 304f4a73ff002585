export type { BenchResult } from '../bench-result.js';
