import { describe, expect, it } from 'vitest';
import { TickLoop } from './tick-loop.js';

describe('TickLoop', () => {
  it('schedules ticks on a fixed grid and reports real dt', async () => {
    const starts: number[] = [];
    await new Promise<void>((resolve) => {
      const loop = new TickLoop({
        hz: 50,
        onTick: (tick, now) => {
          starts.push(now);
          if (tick === 5) {
            loop.stop();
            resolve();
          }
        },
      });
      loop.start();
    });
    expect(starts).toHaveLength(5);
  });

  it('skips missed slots after a long tick instead of running them back to back', async () => {
    let clock = 0;
    const ticks: number[] = [];
    const overruns: Array<[number, number]> = [];
    await new Promise<void>((resolve) => {
      const loop = new TickLoop({
        hz: 10,
        now: () => clock,
        onTick: (tick) => {
          ticks.push(tick);
          // The second tick starts at 1 and ends at 351: the slot due at 200 is skipped, the next runs at 300.
          clock += tick === 2 ? 350 : 1;
          if (tick === 3) {
            loop.stop();
            resolve();
          }
        },
        onOverrun: (duration, skipped) => overruns.push([duration, skipped]),
      });
      loop.start();
      // The fake clock does not advance by itself: each timer waits for real but sees `clock`.
    });
    expect(ticks).toEqual([1, 2, 3]);
    expect(overruns).toEqual([[350, 1]]);
  });
});
