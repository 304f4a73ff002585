import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { InputBatch } from '../ipc/input-batch.js';
import { epochNow } from '../shard/tick-loop.js';
import { InputRouter } from './input-router.js';

describe('InputRouter', () => {
  it('posts one batch per shard tick, not one per message', async () => {
    const { port1, port2 } = new MessageChannel();
    const batches: InputBatch[] = [];
    port2.on('message', (b: InputBatch) => batches.push(b));
    const router = new InputRouter(0, 1);
    router.attach(0, port1);
    // A shard ticking every 50 ms; 200 messages arrive over about 250 ms.
    router.setPhase(0, epochNow() + 50, 50);
    for (let i = 0; i < 200; i++) {
      router.to(0).command(i, 'look', i, 0);
      if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await new Promise((resolve) => setTimeout(resolve, 120));
    router.close();
    port2.close();
    const records = batches.reduce((n, b) => n + b.ops.length / 5, 0);
    expect(records).toBe(200);
    // About one post per 50 ms tick over ≈ 370 ms; far fewer than the 200 messages.
    expect(batches.length).toBeLessThanOrEqual(12);
    expect(batches.every((b) => b.gateway === 0)).toBe(true);
  });

  it('flushes at once while the shard phase is unknown, and keeps input while the shard is down', async () => {
    const { port1, port2 } = new MessageChannel();
    const batches: InputBatch[] = [];
    port2.on('message', (b: InputBatch) => batches.push(b));
    const router = new InputRouter(3, 1);
    router.to(0).leave(1, 'closed');
    router.flush(0);
    expect(router.isUp(0)).toBe(false);
    router.attach(0, port1);
    router.to(0).leave(2, 'closed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    router.close();
    port2.close();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.ops).toEqual([4, 1, 'closed', 4, 2, 'closed']);
  });
});
