import type { BenchResult } from '../bench-result.js';
import { decodeBenchmarks } from './decode.js';
import { encodeBenchmarks } from './encode.js';
import { lineSplitterBenchmarks } from './line-splitter.js';

/**
 * The protocol suite: decode+validate, encode and the stream splitter, each against a bare
 * reference. Decoding runs last: its invalid-JSON case throws a SyntaxError per operation, and
 * after millions of them the splitter's bare reference measured 2-4x slower in the same process
 * (with the v1 decoder too), which made the splitter look faster than its reference.
 */
export async function runProtocolBenchmarks(): Promise<BenchResult[]> {
  const splitter = await lineSplitterBenchmarks();
  const encode = await encodeBenchmarks();
  return [...(await decodeBenchmarks()), ...encode, ...splitter];
}
