import { deepStrictEqual } from 'node:assert/strict';
import { LineSplitter } from '@leviathan/protocol';
import type { BenchResult } from '../bench-result.js';
import { compare } from '../harness/compare.js';
import { chunk, makeStream } from './fixtures.js';
import { LineSplitterV0 } from './variants/line-splitter-v0.js';

/**
 * The reference: the least a splitter can do with Buffer.indexOf, keeping the tail of a chunk for
 * the next one and decoding each line with Buffer#toString (no limits, no UTF-8 validation).
 */
function bareSplit(chunks: readonly Buffer[], onLine: (line: string) => void): void {
  let rest: Buffer | undefined;
  for (let c of chunks) {
    if (rest !== undefined) {
      c = Buffer.concat([rest, c]);
      rest = undefined;
    }
    let start = 0;
    let nl = c.indexOf(10, start);
    while (nl !== -1) {
      const end = nl > start && c[nl - 1] === 13 ? nl - 1 : nl;
      onLine(c.toString('utf8', start, end));
      start = nl + 1;
      nl = c.indexOf(10, start);
    }
    if (start < c.length) rest = c.subarray(start);
  }
  if (rest !== undefined) onLine(rest.toString('utf8'));
}

export async function lineSplitterBenchmarks(): Promise<BenchResult[]> {
  const stream = makeStream(256 * 1024);
  const results: BenchResult[] = [];
  // 64 KiB is a net.Socket read; 1000 bytes cuts most lines in two.
  for (const size of [64 * 1024, 1000]) {
    const chunks = chunk(stream, size);
    const expected: string[] = [];
    bareSplit(chunks, (l) => expected.push(l));
    const got: string[] = [];
    const check = new LineSplitter(
      (l) => got.push(l),
      (e) => {
        throw e;
      },
    );
    for (const c of chunks) check.push(c);
    check.end();
    deepStrictEqual(got, expected);

    const gotV0: string[] = [];
    const checkV0 = new LineSplitterV0(
      (l) => gotV0.push(l),
      (e) => {
        throw e;
      },
    );
    for (const c of chunks) checkV0.push(c);
    checkV0.end();
    deepStrictEqual(gotV0, expected);

    let count = 0;
    const onLine = () => {
      count++;
    };
    const label = size === 1000 ? '1000 B' : '64 KiB';
    results.push(
      await compare({
        name: `protocol: LineSplitter v0 ${label} chunks (vs bare Buffer.indexOf split)`,
        bytesPerOp: stream.length,
        subject: () => {
          const splitter = new LineSplitterV0(onLine, (e) => {
            throw e;
          });
          for (const c of chunks) splitter.push(c);
          splitter.end();
        },
        reference: () => bareSplit(chunks, onLine),
      }),
    );
    results.push(
      await compare({
        name: `protocol: LineSplitter ${label} chunks (vs bare Buffer.indexOf split)`,
        bytesPerOp: stream.length,
        subject: () => {
          const splitter = new LineSplitter(onLine, (e) => {
            throw e;
          });
          for (const c of chunks) splitter.push(c);
          splitter.end();
        },
        reference: () => bareSplit(chunks, onLine),
      }),
    );
    if (count === 0) throw new Error('unreachable');
  }
  return results;
}
