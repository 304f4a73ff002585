import { describe, expect, it } from 'vitest';
import { ConnectSlots } from './connect-slots.js';

describe('ConnectSlots', () => {
  it('gives free slots at once, then queues, first come first served', async () => {
    const slots = new ConnectSlots(2);
    expect(slots.acquire()).toBeUndefined();
    expect(slots.acquire()).toBeUndefined();
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => (slots.acquire() as Promise<void>).then(() => order.push(n)));
    expect(slots.queued).toBe(3);
    slots.release();
    slots.release();
    await Promise.resolve();
    expect(order).toEqual([1, 2]);
    slots.release();
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
    expect(slots.queued).toBe(0);
    // Waiters 2 and 3 hold the two slots; once they finish, both are free again, and no more.
    slots.release();
    slots.release();
    expect(slots.acquire()).toBeUndefined();
    expect(slots.acquire()).toBeUndefined();
    expect(slots.acquire()).toBeInstanceOf(Promise);
  });

  it('keeps the order through a long queue (compacting as it drains)', async () => {
    const slots = new ConnectSlots(1);
    slots.acquire();
    const order: number[] = [];
    const n = 5000;
    const waits = Array.from({ length: n }, (_, i) =>
      (slots.acquire() as Promise<void>).then(() => order.push(i)),
    );
    for (let i = 0; i < n; i++) slots.release();
    await Promise.all(waits);
    expect(order).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(slots.queued).toBe(0);
  });
});
