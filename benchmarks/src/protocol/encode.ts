import { strictEqual } from 'node:assert/strict';
import { encodeLines, encodeMessage } from '@leviathan/protocol';
import type { BenchResult } from '../bench-result.js';
import { compare } from '../harness/compare.js';
import { SERVER_MESSAGES } from './fixtures.js';

/** Aim of the issue: encode within 1.2x of bare JSON.stringify. */
const AIM = 1.2;

export async function encodeBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  let sink = '';
  for (const [kind, message] of Object.entries(SERVER_MESSAGES)) {
    strictEqual(encodeMessage(message), JSON.stringify(message));
    results.push(
      await compare({
        name: `protocol: encode ${kind} (vs JSON.stringify)`,
        subject: () => {
          sink = encodeMessage(message);
        },
        reference: () => {
          sink = JSON.stringify(message);
        },
        opsPerCall: 100,
        aim: AIM,
      }),
    );
  }
  // A batched frame of a tick's messages, against stringify-and-join.
  const batch = Object.values(SERVER_MESSAGES);
  strictEqual(encodeLines(batch), batch.map((m) => JSON.stringify(m)).join('\n'));
  results.push(
    await compare({
      name: 'protocol: encodeLines batch of 4 (vs JSON.stringify + join)',
      subject: () => {
        sink = encodeLines(batch);
      },
      reference: () => {
        sink = batch.map((m) => JSON.stringify(m)).join('\n');
      },
      opsPerCall: 100,
      aim: AIM,
    }),
  );
  if (sink.length === 0) throw new Error('unreachable');
  return results;
}
