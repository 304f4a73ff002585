import type { BenchResult } from '../bench-result.js';
import { decodeBenchmarks } from './decode.js';
import { encodeBenchmarks } from './encode.js';
import { lineSplitterBenchmarks } from './line-splitter.js';

/**
 * The protocol suite: decode+validate, encode and the stream splitter, each against a bare
 * reference. Decoding runs last: its invalid-JSON case throws a SyntaxError per operation, and
 * after 0.3-3 million of them the splitter's bare reference (64 KiB chunks) measured 1.5-6x
 * slower in the same process, with the v1 decoder as with this one. (That reference swings
 * between about 180 and 530 MB/s from one case to the next under load even when it runs first.)
 */
export async function runProtocolBenchmarks(): Promise<BenchResult[]> {
  const splitter = await lineSplitterBenchmarks();
  const encode = await encodeBenchmarks();
  return [...(await decodeBenchmarks()), ...encode, ...splitter];
}
