/**
 * One counted process of the fan-out case (see fan-out-cost.ts): builds a shard with a room of
 * each size in ROOM_SIZES, checks and warms each up, collects garbage, and then, when argv names a
 * size, broadcasts to that room `ops × multiplier` more times. A broadcast is the whole path of a
 * room message up to the socket writes: `ctx.toRoom` (FanOut), the gateway's OutputBatch taken at
 * the end of the tick, its structured clone (what postMessage does between the threads) and the
 * gateway's grouping of the sends by socket. The baseline run (no argv) stops after the
 * collection, so startup, setup and warm-up cancel in the difference.
 *
 * argv: [room size, multiplier] or nothing (baseline run)
 */
import { deepStrictEqual } from 'node:assert/strict';
import { sendsByConn } from '../../../packages/engine/src/ipc/output-batch.js';
import { shardWithPlayers } from '../shard/fixtures.js';
import { RECIPIENTS, ROOM_SIZES } from './fan-out-sizes.js';

const CHAT = { type: 'chat', channel: 'say', from: 'p0', text: 'hello everyone' } as const;

function broadcaster(size: number): () => number {
  const rt = shardWithPlayers(size);
  return () => {
    rt.fanOut.toRoom('z0', 'hall', CHAT);
    const batch = rt.fanOut.take(0, 0);
    if (batch === null) return 0;
    return sendsByConn(structuredClone(batch)).size;
  };
}

const [sizeArg, multiplierArg] = process.argv.slice(2);
let sink = 0;
const cases = ROOM_SIZES.map((size) => ({ size, run: broadcaster(size) }));
for (const { size, run } of cases) {
  deepStrictEqual(run(), size);
  for (let i = 0; i < (RECIPIENTS / size) * 2; i++) sink += run();
}
(globalThis as { gc?: () => void }).gc?.();
if (sizeArg !== undefined) {
  const chosen = cases.find((c) => c.size === Number(sizeArg));
  if (chosen === undefined) throw new Error(`no room of ${sizeArg} in this probe`);
  const times = (RECIPIENTS / chosen.size) * Number(multiplierArg ?? 1);
  for (let i = 0; i < times; i++) sink += chosen.run();
}
process.stdout.write(`${JSON.stringify({ sink })}\n`);
