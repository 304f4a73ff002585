import { deepStrictEqual } from 'node:assert/strict';
import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { decodeFrame, encodeMessage, ProtocolError } from '@leviathan/protocol';
import { CLIENT_LINES, REJECTED_LINES, SERVER_MESSAGES } from '../protocol/fixtures.js';
import { createInputRing, InputRingReader, InputRouter, InputWriter } from '../shard/engine-internals.js';
import { shardWithPlayers } from '../shard/fixtures.js';

/**
 * A case of the instruction-count gate: a subject and its reference, each one operation, and a
 * check run before counting (a fast wrong answer is not a result). Counted by probe.ts under
 * valgrind; see run-counted.ts.
 */
export interface CountedCase {
  subject: () => unknown;
  reference: () => unknown;
  check: () => void;
}

function decodeCase(): CountedCase {
  const line = CLIENT_LINES.cmd;
  return {
    subject: () => decodeFrame(line),
    reference: () => JSON.parse(line),
    check: () => deepStrictEqual(decodeFrame(line), [JSON.parse(line)]),
  };
}

/** A binary frame, as the gateway gets every message (a Uint8Array of the bytes uWS received). */
function decodeBinaryCase(): CountedCase {
  const line = CLIENT_LINES.cmd;
  const bytes = new TextEncoder().encode(line);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    subject: () => decodeFrame(bytes),
    reference: () => JSON.parse(buffer.toString('utf8')),
    check: () => deepStrictEqual(decodeFrame(bytes), [JSON.parse(line)]),
  };
}

/** The error path: a line any client can send over and over. */
function decodeRejectedCase(): CountedCase {
  const { line, code } = REJECTED_LINES['unknown field'];
  return {
    subject: () => decodeFrame(line),
    reference: () => JSON.parse(line),
    check: () => {
      const [err] = decodeFrame(line);
      if (!(err instanceof ProtocolError)) throw new Error(`${line} was accepted`);
      deepStrictEqual([err.code, err.re], [code, 1842]);
    },
  };
}

function encodeCase(): CountedCase {
  const message = SERVER_MESSAGES.reply!;
  return {
    subject: () => encodeMessage(message),
    reference: () => JSON.stringify(message),
    check: () => deepStrictEqual(JSON.parse(encodeMessage(message)), message),
  };
}

function fanOutCase(): CountedCase {
  const rt = shardWithPlayers(100);
  const chat = { type: 'chat', channel: 'say', from: 'p0', text: 'hello everyone' } as const;
  const perRecipient = () => {
    const strings: string[] = [];
    const sends: number[] = [];
    for (let conn = 0; conn < 100; conn++) sends.push(conn, strings.push(JSON.stringify(chat)) - 1, 0);
    return sends;
  };
  const broadcast = () => {
    rt.fanOut.toRoom('z0', 'hall', chat);
    return rt.fanOut.take(0, 0);
  };
  return {
    subject: broadcast,
    reference: perRecipient,
    check: () => {
      const out = broadcast();
      deepStrictEqual([out?.strings.length, out?.sends.length], [1, 300]);
    },
  };
}

function tickCase(): CountedCase {
  const n = 200;
  const rt = shardWithPlayers(n);
  const line = 'echo hello everyone, the dragon is near the north gate';
  const writer = new InputWriter();
  for (let conn = 0; conn < n; conn++) writer.command(conn, line, conn + 1, 1_000);
  const ops = writer.take();
  let tick = 1;
  const engineTick = () => {
    tick++;
    rt.receiveInput(0, ops);
    return rt.tick(tick, 1_000 + tick * 100, 100).outputs[0] ?? null;
  };
  const bare = () => {
    const strings: string[] = [];
    for (let i = 0; i < ops.length; i += 5) {
      const l = (ops[i + 2] as string).trim();
      const space = l.search(/\s/);
      strings.push(
        JSON.stringify({ type: 'reply', re: ops[i + 3], ok: true, text: l.slice(space + 1).trim() }),
      );
    }
    return strings;
  };
  return {
    subject: engineTick,
    reference: bare,
    check: () => deepStrictEqual(engineTick()?.sends.length, n * 3),
  };
}

function ringCase(): CountedCase {
  const n = 200;
  const rings = [createInputRing(), createInputRing()];
  const readers = rings.map((ring) => new InputRingReader(ring));
  const router = new InputRouter(2);
  rings.forEach((ring, s) => {
    router.attach(s, ring);
  });
  const channels = [new MessageChannel(), new MessageChannel()];
  const line = 'say hello everyone';
  const viaRing = () => {
    for (let i = 0; i < n; i++) router.to(i & 1).command(i, line, i + 1, 1_000);
    return readers[0]!.take().length + readers[1]!.take().length;
  };
  const drain = (port: MessagePort) => {
    let records = 0;
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) records++;
    return records;
  };
  const perMessage = () => {
    for (let i = 0; i < n; i++)
      channels[i & 1]!.port1.postMessage({ type: 'cmd', conn: i, line, id: i + 1, receivedAt: 1_000 });
    return drain(channels[0]!.port2) + drain(channels[1]!.port2);
  };
  return {
    subject: viaRing,
    reference: perMessage,
    check: () => deepStrictEqual([viaRing(), perMessage()], [n, n]),
  };
}

/**
 * The gated cases and how many operations a counted run adds (enough that the per-operation
 * count dwarfs any startup difference, few enough that valgrind's ~50x slowdown stays bearable).
 */
export const COUNTED_CASES: Record<string, { make: () => CountedCase; ops: number }> = {
  'protocol: decode+validate cmd (vs JSON.parse)': { make: decodeCase, ops: 1_500 },
  'protocol: decode+validate binary cmd (vs JSON.parse(buf.toString()))': {
    make: decodeBinaryCase,
    ops: 1_500,
  },
  'protocol: decode+validate rejected cmd (vs JSON.parse)': { make: decodeRejectedCase, ops: 1_500 },
  'protocol: encode reply (vs JSON.stringify)': { make: encodeCase, ops: 1_500 },
  'shard: broadcast to a room of 100 (vs JSON.stringify per recipient)': { make: fanOutCase, ops: 100 },
  'shard: tick of 200 echo commands (vs bare split + JSON.stringify of each reply)': {
    make: tickCase,
    ops: 20,
  },
  'ipc: 200 commands to 2 shards through their input rings (vs one postMessage per command)': {
    make: ringCase,
    ops: 20,
  },
};
