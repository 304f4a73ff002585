import { strictEqual } from 'node:assert/strict';
import type { ChatMessage } from '@leviathan/protocol';
import type { BenchResult } from '../bench-result.js';
import { compare } from '../harness/compare.js';
import { shardWithPlayers } from './fixtures.js';

/** Players in the room that hears the message. */
const RECIPIENTS = 100;
const CHAT: ChatMessage = {
  type: 'chat',
  channel: 'say',
  from: 'p0',
  text: 'hello everyone, the dragon is near the north gate',
};

/**
 * Broadcast fan-out: `toRoom` to 100 players through a real shard's FanOut (the message encoded
 * once, each recipient a (conn, string index) pair in the outbox), against encoding the message
 * once per recipient, as a server that serializes per socket does.
 */
export async function fanOutBenchmarks(): Promise<BenchResult[]> {
  const rt = shardWithPlayers(RECIPIENTS);
  const broadcast = () => {
    rt.fanOut.toRoom('z0', 'hall', CHAT);
    return rt.fanOut.take(0, 0);
  };
  const perRecipient = () => {
    const strings: string[] = [];
    const sends: number[] = [];
    for (let conn = 0; conn < RECIPIENTS; conn++) sends.push(conn, strings.push(JSON.stringify(CHAT)) - 1, 0);
    return sends;
  };

  // Correct before fast: every player in the room gets the message, encoded once.
  const out = broadcast();
  if (out === null) throw new Error('the broadcast produced no output');
  strictEqual(out.strings.length, 1);
  strictEqual(out.strings[0], JSON.stringify(CHAT));
  strictEqual(out.sends.length, RECIPIENTS * 3);
  const conns = new Set<number>();
  for (let i = 0; i < out.sends.length; i += 3) {
    conns.add(out.sends[i] as number);
    strictEqual(out.sends[i + 1], 0);
  }
  strictEqual(conns.size, RECIPIENTS);
  strictEqual(perRecipient().length, RECIPIENTS * 3);

  let sink: unknown;
  const result = await compare({
    name: `shard: broadcast to a room of ${RECIPIENTS} (vs JSON.stringify per recipient)`,
    subject: () => {
      sink = broadcast();
    },
    reference: () => {
      sink = perRecipient();
    },
  });
  if (sink === undefined) throw new Error('unreachable');
  return [result];
}
