import { deepStrictEqual } from 'node:assert/strict';
import { decodeFrame, ProtocolError } from '@leviathan/protocol';
import type { BenchResult } from '../bench-result.js';
import { compare } from '../harness/compare.js';
import { CLIENT_LINES } from './fixtures.js';
import { decodeFrameV0 } from './variants/decode-v0.js';

/** Aim of the issue: decode+validate within 1.5x of bare JSON.parse. */
const AIM = 1.5;

/** decodeFrame (parse + validate) of one WebSocket message against bare JSON.parse of it. */
export async function decodeBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [kind, line] of Object.entries(CLIENT_LINES)) {
    // Correct before fast: the subject gives exactly what JSON.parse gives, and no error.
    const [decoded] = decodeFrame(line);
    if (decoded instanceof ProtocolError) throw decoded;
    deepStrictEqual(decoded, JSON.parse(line));
    let sink: unknown;
    results.push(
      await compare({
        name: `protocol: decode+validate ${kind} (vs JSON.parse)`,
        subject: () => {
          sink = decodeFrame(line);
        },
        reference: () => {
          sink = JSON.parse(line);
        },
        opsPerCall: 100,
        aim: AIM,
      }),
    );
    if (sink === undefined) throw new Error('unreachable');
  }

  // The previous validator, side by side, on the most frequent message.
  const line = CLIENT_LINES.cmd;
  deepStrictEqual(decodeFrameV0(line), [JSON.parse(line)]);
  let sinkV0: unknown;
  results.push(
    await compare({
      name: 'protocol: decode+validate cmd, v0 validator (vs JSON.parse)',
      subject: () => {
        sinkV0 = decodeFrameV0(line);
      },
      reference: () => {
        sinkV0 = JSON.parse(line);
      },
      // No aim: a variant kept for comparison, not code that ships.
      opsPerCall: 100,
    }),
  );
  if (sinkV0 === undefined) throw new Error('unreachable');

  // The error path: a line a hostile client could send over and over.
  const bad = '{"type":"cmd","id":1842,"line":"say hello everyone","admin":true}';
  const [rejected] = decodeFrame(bad);
  if (!(rejected instanceof ProtocolError) || rejected.code !== 'LEV_ERR_PROTOCOL_UNKNOWN_FIELD') {
    throw new Error('the bad line was not rejected');
  }
  let sinkBad: unknown;
  results.push(
    await compare({
      name: 'protocol: decode+validate rejected cmd (vs JSON.parse)',
      subject: () => {
        sinkBad = decodeFrame(bad);
      },
      reference: () => {
        sinkBad = JSON.parse(bad);
      },
      opsPerCall: 100,
    }),
  );
  if (sinkBad === undefined) throw new Error('unreachable');

  // A binary frame (what uWS hands the gateway): the reference decodes UTF-8 the fastest way too.
  const bytes = Buffer.from(CLIENT_LINES.cmd);
  const decoded = decodeFrame(bytes)[0];
  deepStrictEqual(decoded, JSON.parse(bytes.toString('utf8')));
  let sink: unknown;
  results.push(
    await compare({
      name: 'protocol: decode+validate binary cmd (vs JSON.parse(buf.toString()))',
      subject: () => {
        sink = decodeFrame(bytes);
      },
      reference: () => {
        sink = JSON.parse(bytes.toString('utf8'));
      },
      opsPerCall: 100,
      aim: AIM,
    }),
  );
  if (sink === undefined) throw new Error('unreachable');
  return results;
}
