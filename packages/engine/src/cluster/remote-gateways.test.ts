import { describe, expect, it } from 'vitest';
import { InputOp, type InputRecord } from '../ipc/input-batch.js';
import { InputRingReader } from '../ipc/input-ring.js';
import { createLogger } from '../logging/logger.js';
import type { BusMessage } from './node-bus.js';
import { RemoteGateways } from './remote-gateways.js';

/** A node whose one shard never reads its input: the ring fills, then the waiting list. */
function stalledNode() {
  const sent: Array<{ node: string; message: BusMessage }> = [];
  const rings: SharedArrayBuffer[] = [];
  const gateways = new RemoteGateways({
    node: 'b',
    localGateways: 1,
    localShards: 1,
    inputRingBytes: 1024,
    attach: (_shard, { ring }) => {
      rings.push(ring);
      return true;
    },
    send: (node, message) => sent.push({ node, message }),
    joined: () => {},
    settle: async () => {},
    log: createLogger({ level: 'silent' }),
  });
  return { gateways, sent, rings };
}

const command = (conn: number, id: number | null): InputRecord => ({
  op: InputOp.Command,
  conn,
  line: 'look',
  id,
  receivedAt: 0,
});

describe('the gateways of other nodes, on a node whose shard is far behind', () => {
  it('answers each command the shard refused, on the player’s node, with the id it came with', () => {
    const { gateways, sent, rings } = stalledNode();
    // 50,000 wait behind a full ring; the next ones are refused.
    const records = Array.from({ length: 50_100 }, (_, i) => command(7, i));
    records.push(command(8, null));
    gateways.input('a', 0, 0, records);

    expect(sent).toHaveLength(1);
    const { node, message } = sent[0]!;
    expect(node).toBe('a');
    if (message.k !== 'out') throw new Error(`expected an output batch, got ${message.k}`);
    expect(message.gateway).toBe(0);
    const answers = [];
    for (let i = 0; i < message.batch.sends.length; i += 3) {
      answers.push({
        conn: message.batch.sends[i],
        error: JSON.parse(message.batch.strings[message.batch.sends[i + 1]!]!) as Record<string, unknown>,
      });
    }
    // The ring took some, 50,000 waited, the rest were refused: every refused one is answered once.
    const taken = new InputRingReader(rings[0]!).take().length;
    expect(answers).toHaveLength(records.length - taken - 50_000);
    expect(answers.at(-1)).toEqual({
      conn: 8,
      error: {
        type: 'error',
        code: 'LEV_ERR_SHARD_UNAVAILABLE',
        message: 'the game is overloaded; try again in a moment',
      },
    });
    const first = answers[0]!;
    expect(first.conn).toBe(7);
    expect(first.error.re).toBe(taken + 50_000);
  });

  it('sends nothing back while the shard keeps up', () => {
    const { gateways, sent } = stalledNode();
    gateways.input('a', 0, 0, [command(7, 1), command(7, 2)]);
    expect(sent).toEqual([]);
  });
});
