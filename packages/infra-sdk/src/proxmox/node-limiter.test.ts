import { describe, expect, it } from 'vitest';
import { NodeLimiter } from './node-limiter.js';

describe('NodeLimiter', () => {
  it('admits `limit` holders per node, queues the rest in order, and keeps nodes apart', async () => {
    const limiter = new NodeLimiter(2);
    const a = await limiter.acquire('pve1');
    const b = await limiter.acquire('pve1');
    const other = await limiter.acquire('pve2');
    const order: string[] = [];
    const c = limiter.acquire('pve1').then((r) => {
      order.push('c');
      return r;
    });
    const d = limiter.acquire('pve1').then((r) => {
      order.push('d');
      return r;
    });
    expect(limiter.active('pve1')).toBe(2);
    a();
    a(); // releasing twice frees one slot only
    (await c)();
    b();
    (await d)();
    other();
    expect(order).toEqual(['c', 'd']);
    expect(limiter.active('pve1')).toBe(0);
    expect(limiter.active('pve2')).toBe(0);
  });

  it('drops a waiter whose signal aborts', async () => {
    const limiter = new NodeLimiter(1);
    const held = await limiter.acquire('n');
    const controller = new AbortController();
    const waiting = limiter.acquire('n', controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    held();
    expect(limiter.active('n')).toBe(0);
  });
});
