import { describe, expect, it } from 'vitest';
import { TimerQueue } from './timer-queue.js';

describe('TimerQueue', () => {
  it('fires timers in due order, repeats intervals, and honours cancel', () => {
    let now = 0;
    const q = new TimerQueue(() => now);
    const fired: string[] = [];
    q.after(30, () => fired.push('c'));
    q.after(10, () => fired.push('a'));
    const b = q.every(20, () => fired.push('b'));
    const x = q.after(15, () => fired.push('x'));
    q.cancel(x);
    now = 25;
    q.runDue(now, () => {});
    expect(fired).toEqual(['a', 'b']);
    now = 45;
    q.runDue(now, () => {});
    expect(fired).toEqual(['a', 'b', 'c', 'b']);
    q.cancel(b);
    now = 100;
    q.runDue(now, () => {});
    expect(fired).toEqual(['a', 'b', 'c', 'b']);
  });

  it('keeps running other timers when one throws', () => {
    const q = new TimerQueue(() => 0);
    const errors: unknown[] = [];
    let ran = false;
    q.after(0, () => {
      throw new Error('boom');
    });
    q.after(0, () => {
      ran = true;
    });
    q.runDue(1, (e) => errors.push(e));
    expect(ran).toBe(true);
    expect(errors).toHaveLength(1);
  });
});
