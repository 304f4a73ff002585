import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import type { BenchResult } from '../bench-result.js';
import { compare } from '../harness/compare.js';
import { InputWriter, type OutputBatch } from './engine-internals.js';
import { shardWithPlayers } from './fixtures.js';

/** Commands per tick: 200 players typing, one command each. */
const COMMANDS = 200;
const LINE = 'echo hello everyone, the dragon is near the north gate';

/**
 * One shard tick as the worker runs it (the input batch received, then `tick()`: decode the
 * records, run the commands and systems, take the output and state batches) with 200 `echo`
 * commands, against the bare work those commands need: read each record of the flat batch,
 * split the line, build the reply and JSON.stringify it into an output array. The ratio is the
 * engine's per-command overhead: record decoding, dispatch, the reused context, the outbox,
 * timings, the state batch.
 */
export async function tickBenchmarks(): Promise<BenchResult[]> {
  const rt = shardWithPlayers(COMMANDS);
  const writer = new InputWriter();
  for (let conn = 0; conn < COMMANDS; conn++) writer.command(conn, LINE, conn + 1, 1_000);
  const ops = writer.take();
  let tick = 1;
  const engineTick = (): OutputBatch | null => {
    tick++;
    rt.receiveInput(0, ops);
    return rt.tick(tick, 1_000 + tick * 100, 100).outputs[0] ?? null;
  };
  const bare = (): string[] => {
    const strings: string[] = [];
    const sends: number[] = [];
    for (let i = 0; i < ops.length; i += 5) {
      const line = (ops[i + 2] as string).trim();
      const space = line.search(/\s/);
      const rest = space < 0 ? '' : line.slice(space + 1).trim();
      sends.push(
        ops[i + 1] as number,
        strings.push(JSON.stringify({ type: 'reply', re: ops[i + 3], ok: true, text: rest })) - 1,
        0,
      );
    }
    return strings;
  };

  // Correct before fast: one reply per command, to the right connection, with the right text and id.
  const out = engineTick();
  if (out === null) throw new Error('the tick produced no output');
  strictEqual(out.sends.length, COMMANDS * 3);
  for (let conn = 0; conn < COMMANDS; conn++) {
    strictEqual(out.sends[conn * 3], conn);
    const message = JSON.parse(out.strings[out.sends[conn * 3 + 1] as number] as string);
    deepStrictEqual(
      { type: message.type, re: message.re, ok: message.ok, text: message.text },
      { type: 'reply', re: conn + 1, ok: true, text: LINE.slice(5) },
    );
  }
  strictEqual(bare().length, COMMANDS);

  let sink: unknown;
  const results = [
    await compare({
      name: `shard: tick of ${COMMANDS} echo commands (vs bare split + JSON.stringify of each reply)`,
      subject: () => {
        sink = engineTick();
      },
      reference: () => {
        sink = bare();
      },
    }),
  ];
  if (sink === undefined) throw new Error('unreachable');
  return results;
}
