/**
 * The encoding of the per-tick batches between gateway and shard threads (ipc/batches.ts): flat
 * arrays of primitives structured-cloned by postMessage (what the engine uses) against msgpackr
 * into a transferred ArrayBuffer (@leviathan/protocol/batch) and a JSON string. Each variant
 * posts a batch of 200 command records through a real MessageChannel and decodes it on the other
 * side; each is checked for a correct round trip before timing.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { createBatchCodec, toTransferable } from '@leviathan/protocol/batch';
import { Bench } from 'tinybench';
import type { BenchResult } from './bench-result.js';

const RECORDS = 200;

function makeOps(): unknown[] {
  const ops: unknown[] = [];
  for (let i = 0; i < RECORDS; i++) ops.push(2, i, `look at the fountain ${i}`, i, 1_795_000_000_000 + i);
  return ops;
}

export async function measureIpcBatches(): Promise<BenchResult[]> {
  const { port1, port2 } = new MessageChannel();
  const codec = createBatchCodec();
  const ops = makeOps();
  const variants: Record<string, () => unknown[]> = {
    flat: () => {
      port1.postMessage({ gateway: 0, ops });
      return (receiveMessageOnPort(port2)!.message as { ops: unknown[] }).ops;
    },
    msgpackr: () => {
      const buffer = toTransferable(codec.encode({ gateway: 0, ops }));
      port1.postMessage(buffer, [buffer]);
      const bytes = new Uint8Array(receiveMessageOnPort(port2)!.message as ArrayBuffer);
      return codec.decode<{ ops: unknown[] }>(bytes).ops;
    },
    json: () => {
      port1.postMessage(JSON.stringify({ gateway: 0, ops }));
      return (JSON.parse(receiveMessageOnPort(port2)!.message as string) as { ops: unknown[] }).ops;
    },
  };
  for (const [name, run] of Object.entries(variants)) {
    if (JSON.stringify(run()) !== JSON.stringify(ops))
      throw new Error(`${name} does not round-trip the batch`);
  }
  const bench = new Bench({ time: 1000, warmupTime: 200 });
  for (const [name, run] of Object.entries(variants)) bench.add(name, run);
  await bench.run();
  port1.close();
  port2.close();
  const mean = (name: string): number => {
    const result = bench.getTask(name)?.result;
    if (result === undefined || !('latency' in result)) throw new Error(`${name} did not complete`);
    return result.latency.mean * 1000;
  };
  const flat = mean('flat');
  return [
    {
      name: `ipc: a ${RECORDS}-command input batch through a MessagePort, flat array vs msgpackr`,
      unit: 'µs/batch',
      value: flat,
      reference: mean('msgpackr'),
      ratio: flat / mean('msgpackr'),
    },
    {
      name: `ipc: a ${RECORDS}-command input batch through a MessagePort, flat array vs JSON`,
      unit: 'µs/batch',
      value: flat,
      reference: mean('json'),
      ratio: flat / mean('json'),
    },
  ];
}
