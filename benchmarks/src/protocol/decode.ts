import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { decodeFrame, ProtocolError } from '@leviathan/protocol';
import type { BenchResult } from '../bench-result.js';
import { compare } from '../harness/compare.js';
import { CLIENT_LINES, REJECTED_LINES } from './fixtures.js';
import { decodeFrameV0 } from './variants/decode-v0.js';
import { decodeFrame as decodeFrameV1 } from './variants/decode-v1/decode-frame.js';

/** Aim: decode+validate of every client message within 1.3x of bare JSON.parse of the same line. */
const AIM = 1.3;
/** Aim: refusing a bad line within 2x of bare JSON.parse of it (a client can send them at will). */
const REJECTED_AIM = 2;

type Decode = (data: string | Uint8Array) => readonly unknown[];

/** Bytes as the gateway hands them to decodeFrame (a plain Uint8Array), and a Buffer over them. */
function bytesOf(line: string): { bytes: Uint8Array; buffer: Buffer } {
  const bytes = new TextEncoder().encode(line);
  return { bytes, buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** One timed case: `decode(input)` against `reference()`, 100 operations per timed call. */
async function decodeCase(
  name: string,
  decode: Decode,
  input: string | Uint8Array,
  reference: () => unknown,
  aim: number | undefined,
): Promise<BenchResult> {
  let sink: unknown;
  const result = await compare({
    name,
    subject: () => {
      sink = decode(input);
    },
    reference: () => {
      sink = reference();
    },
    opsPerCall: 100,
    ...(aim === undefined ? {} : { aim }),
  });
  if (sink === undefined) throw new Error('unreachable');
  return result;
}

/** Correct before fast: a valid line decodes to exactly what JSON.parse gives, and no error. */
function checkValid(decode: Decode, input: string | Uint8Array, line: string): void {
  const out = decode(input);
  if (out[0] instanceof ProtocolError) throw out[0];
  deepStrictEqual(out, [JSON.parse(line)]);
}

/** A rejected line gives one error, with its code and the line's request id in `re`. */
function checkRejected(decode: Decode, input: string | Uint8Array, line: string, code: string): void {
  const out = decode(input);
  strictEqual(out.length, 1);
  // Not `instanceof`: the variants have error classes of their own.
  const err = out[0] as { code?: unknown; re?: unknown };
  strictEqual(err.code, code);
  if (code !== 'LEV_ERR_PROTOCOL_INVALID_JSON') {
    strictEqual(err.re, (JSON.parse(line) as { id?: unknown }).id);
  }
}

/** The bare reference for a line JSON.parse refuses: the parse, and its SyntaxError caught. */
function parseOrError(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (err) {
    return err;
  }
}

/** decodeFrame (parse + validate) of one WebSocket message against bare JSON.parse of it. */
export async function decodeBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];

  // Every client message type, as a text frame and as a binary one.
  for (const [kind, line] of Object.entries(CLIENT_LINES)) {
    checkValid(decodeFrame, line, line);
    results.push(
      await decodeCase(
        `protocol: decode+validate ${kind} (vs JSON.parse)`,
        decodeFrame,
        line,
        () => JSON.parse(line),
        AIM,
      ),
    );
  }
  for (const [kind, line] of Object.entries(CLIENT_LINES)) {
    const { bytes, buffer } = bytesOf(line);
    checkValid(decodeFrame, bytes, line);
    results.push(
      await decodeCase(
        `protocol: decode+validate binary ${kind} (vs JSON.parse(buf.toString()))`,
        decodeFrame,
        bytes,
        () => JSON.parse(buffer.toString('utf8')),
        AIM,
      ),
    );
  }

  // The error path: lines a hostile client could send over and over. Invalid JSON last, after the
  // variants (see below).
  const rejected = Object.entries(REJECTED_LINES).filter(([kind]) => kind !== 'invalid JSON');
  for (const [kind, { line, code }] of rejected) {
    checkRejected(decodeFrame, line, line, code);
    // The first rejected case kept its name from before the other kinds were measured.
    const name =
      kind === 'unknown field'
        ? 'protocol: decode+validate rejected cmd (vs JSON.parse)'
        : `protocol: decode+validate rejected, ${kind} (vs JSON.parse)`;
    results.push(await decodeCase(name, decodeFrame, line, () => parseOrError(line), REJECTED_AIM));
  }

  // The previous decoders, side by side (no aim: variants kept for comparison, not code that ships).
  const cmd = CLIENT_LINES.cmd;
  const decodeV0 = (data: string | Uint8Array) => decodeFrameV0(data as string);
  checkValid(decodeV0, cmd, cmd);
  results.push(
    await decodeCase(
      'protocol: decode+validate cmd, v0 validator (vs JSON.parse)',
      decodeV0,
      cmd,
      () => JSON.parse(cmd),
      undefined,
    ),
  );
  checkValid(decodeFrameV1, cmd, cmd);
  results.push(
    await decodeCase(
      'protocol: decode+validate cmd, v1 decoder (vs JSON.parse)',
      decodeFrameV1,
      cmd,
      () => JSON.parse(cmd),
      undefined,
    ),
  );
  const { bytes, buffer } = bytesOf(cmd);
  checkValid(decodeFrameV1, bytes, cmd);
  results.push(
    await decodeCase(
      'protocol: decode+validate binary cmd, v1 decoder (vs JSON.parse(buf.toString()))',
      decodeFrameV1,
      bytes,
      () => JSON.parse(buffer.toString('utf8')),
      undefined,
    ),
  );
  for (const kind of ['unknown field', 'unknown type'] as const) {
    const { line, code } = REJECTED_LINES[kind];
    checkRejected(decodeFrameV1, line, line, code);
    results.push(
      await decodeCase(
        `protocol: decode+validate rejected, ${kind}, v1 decoder (vs JSON.parse)`,
        decodeFrameV1,
        line,
        () => parseOrError(line),
        undefined,
      ),
    );
  }

  // Last: a SyntaxError thrown per operation slows what runs after it in the process (see index.ts).
  const { line, code } = REJECTED_LINES['invalid JSON'];
  checkRejected(decodeFrame, line, line, code);
  results.push(
    await decodeCase(
      'protocol: decode+validate rejected, invalid JSON (vs JSON.parse)',
      decodeFrame,
      line,
      () => parseOrError(line),
      REJECTED_AIM,
    ),
  );
  return results;
}
