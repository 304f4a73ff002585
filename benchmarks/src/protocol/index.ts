import type { BenchResult } from '../bench-result.js';
import { decodeBenchmarks } from './decode.js';
import { encodeBenchmarks } from './encode.js';
import { lineSplitterBenchmarks } from './line-splitter.js';

/** The protocol suite: decode+validate, encode and the stream splitter, each against a bare reference. */
export async function runProtocolBenchmarks(): Promise<BenchResult[]> {
  return [...(await decodeBenchmarks()), ...(await encodeBenchmarks()), ...(await lineSplitterBenchmarks())];
}
