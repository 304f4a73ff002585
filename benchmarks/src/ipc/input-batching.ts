import { deepStrictEqual } from 'node:assert/strict';
import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { BenchResult } from '../bench-result.js';
import { compare } from '../harness/compare.js';
import {
  createInputRing,
  decodeInputs,
  InputOp,
  type InputRecord,
  InputRingReader,
  InputRouter,
  InputWriter,
} from '../shard/engine-internals.js';

/** Commands a gateway receives in one tick, from players spread over `SHARDS` shards. */
const COMMANDS = 200;
const SHARDS = 2;
const LINE = 'say hello everyone, the dragon is near the north gate';

interface Command {
  conn: number;
  shard: number;
  line: string;
  id: number;
  receivedAt: number;
}

/**
 * Gateway → shard input for one tick: each command routed to its player's shard. Three ways, each
 * paying its whole cost in this thread (the receiving side reads synchronously):
 * - the engine's: written into the shard's shared-memory input ring (InputRouter), read back by
 *   the shard's InputRingReader;
 * - v0, the engine's previous design, kept for comparison: appended to a flat-array batch per
 *   shard (InputWriter), posted once per shard per tick, decoded (decodeInputs);
 * - the reference: one postMessage of one object per command.
 * The ring's real gain is not in these figures: it wakes no thread and sets no timer, which a
 * post per shard per tick (and the gateway's flush timer) does; see ipc/input-ring.ts.
 */
export async function inputBatchingBenchmarks(): Promise<BenchResult[]> {
  const commands: Command[] = Array.from({ length: COMMANDS }, (_, i) => ({
    conn: i,
    shard: i % SHARDS,
    line: LINE,
    id: i + 1,
    receivedAt: 1_000 + i,
  }));
  const asCommands = (s: number, records: readonly InputRecord[]): Command[] =>
    records.flatMap((r) =>
      r.op === InputOp.Command
        ? [{ conn: r.conn, shard: s, line: r.line, id: r.id as number, receivedAt: r.receivedAt }]
        : [],
    );

  const rings = Array.from({ length: SHARDS }, () => createInputRing());
  const readers = rings.map((ring) => new InputRingReader(ring));
  const router = new InputRouter(SHARDS);
  for (let s = 0; s < SHARDS; s++) router.attach(s, rings[s]!);
  const viaRing = (): Command[][] => {
    for (const c of commands) router.to(c.shard).command(c.conn, c.line, c.id, c.receivedAt);
    return readers.map((reader, s) => asCommands(s, reader.take()));
  };

  const channels = Array.from({ length: SHARDS }, () => new MessageChannel());
  const receivers: MessagePort[] = channels.map((c) => c.port2);
  const writers = channels.map(() => new InputWriter());
  const viaFlatBatch = (): Command[][] => {
    for (const c of commands) writers[c.shard]!.command(c.conn, c.line, c.id, c.receivedAt);
    for (let s = 0; s < SHARDS; s++) channels[s]!.port1.postMessage({ gateway: 0, ops: writers[s]!.take() });
    return receivers.map((port, s) => {
      const batch = receiveMessageOnPort(port)?.message as { ops: unknown[] };
      return asCommands(s, decodeInputs(batch.ops));
    });
  };

  const perMessage = (): Command[][] => {
    for (const c of commands) {
      channels[c.shard]!.port1.postMessage({
        type: 'cmd',
        conn: c.conn,
        line: c.line,
        id: c.id,
        receivedAt: c.receivedAt,
      });
    }
    return receivers.map((port, s) => {
      const got: Command[] = [];
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        const r = m.message as Command;
        got.push({ conn: r.conn, shard: s, line: r.line, id: r.id, receivedAt: r.receivedAt });
      }
      return got;
    });
  };

  // Correct before fast: each shard receives exactly its players' commands, in order, every way.
  const expected = Array.from({ length: SHARDS }, (_, s) => commands.filter((c) => c.shard === s));
  deepStrictEqual(viaRing(), expected);
  deepStrictEqual(viaFlatBatch(), expected);
  deepStrictEqual(perMessage(), expected);

  let sink: unknown;
  const results = [
    await compare({
      name: `ipc: ${COMMANDS} commands to ${SHARDS} shards through their input rings (vs one postMessage per command)`,
      subject: () => {
        sink = viaRing();
      },
      reference: () => {
        sink = perMessage();
      },
    }),
    await compare({
      name: `ipc: ${COMMANDS} commands to ${SHARDS} shards, v0 flat-array batch per shard (vs one postMessage per command)`,
      subject: () => {
        sink = viaFlatBatch();
      },
      reference: () => {
        sink = perMessage();
      },
    }),
  ];
  if (sink === undefined) throw new Error('unreachable');
  for (const c of channels) {
    c.port1.close();
    c.port2.close();
  }
  return results;
}
