import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { BenchResult } from '../bench-result.js';
import { compare } from '../harness/compare.js';
import { decodeInputs, InputOp, InputRouter } from '../shard/engine-internals.js';

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
 * Gateway → shard input for one tick: each command routed to its player's shard, appended to
 * that shard's flat-array batch (InputRouter), posted once per shard and read back record by
 * record, against one postMessage of one object per command. Both receive synchronously
 * (receiveMessageOnPort), so each side pays the whole serialize + post + deserialize.
 */
export async function inputBatchingBenchmarks(): Promise<BenchResult[]> {
  const commands: Command[] = Array.from({ length: COMMANDS }, (_, i) => ({
    conn: i,
    shard: i % SHARDS,
    line: LINE,
    id: i + 1,
    receivedAt: 1_000 + i,
  }));
  const channels = Array.from({ length: SHARDS }, () => new MessageChannel());
  const receivers: MessagePort[] = channels.map((c) => c.port2);
  const router = new InputRouter(0, SHARDS);
  channels.forEach((c, s) => {
    router.attach(s, c.port1);
  });

  const batched = (): Command[][] => {
    for (const c of commands) router.to(c.shard).command(c.conn, c.line, c.id, c.receivedAt);
    router.flushAll();
    const received: Command[][] = [];
    for (let s = 0; s < SHARDS; s++) {
      const got: Command[] = [];
      const batch = receiveMessageOnPort(receivers[s] as MessagePort)?.message as { ops: unknown[] };
      for (const r of decodeInputs(batch.ops)) {
        if (r.op !== InputOp.Command) continue;
        got.push({ conn: r.conn, shard: s, line: r.line, id: r.id as number, receivedAt: r.receivedAt });
      }
      received.push(got);
    }
    return received;
  };
  const direct = channels.map((c) => c.port1);
  const perMessage = (): Command[][] => {
    for (const c of commands) {
      (direct[c.shard] as MessagePort).postMessage({
        type: 'cmd',
        conn: c.conn,
        line: c.line,
        id: c.id,
        receivedAt: c.receivedAt,
      });
    }
    const received: Command[][] = [];
    for (let s = 0; s < SHARDS; s++) {
      const got: Command[] = [];
      for (
        let m = receiveMessageOnPort(receivers[s] as MessagePort);
        m !== undefined;
        m = receiveMessageOnPort(receivers[s] as MessagePort)
      ) {
        const r = m.message as Command;
        got.push({ conn: r.conn, shard: s, line: r.line, id: r.id, receivedAt: r.receivedAt });
      }
      received.push(got);
    }
    return received;
  };

  // Correct before fast: each shard receives exactly its players' commands, in order, both ways.
  const expected = Array.from({ length: SHARDS }, (_, s) => commands.filter((c) => c.shard === s));
  deepStrictEqual(batched(), expected);
  const postsBefore = router.posts;
  batched();
  strictEqual(router.posts - postsBefore, SHARDS, 'one post per shard per tick');
  deepStrictEqual(perMessage(), expected);

  let sink: unknown;
  const result = await compare({
    name: `ipc: route + batch ${COMMANDS} commands to ${SHARDS} shards (vs one postMessage per command)`,
    subject: () => {
      sink = batched();
    },
    reference: () => {
      sink = perMessage();
    },
  });
  if (sink === undefined) throw new Error('unreachable');
  router.close();
  for (const c of channels) c.port2.close();
  return [result];
}
