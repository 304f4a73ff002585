import { createHistogram } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { LoopDelayWindow } from './loop-delay-window.js';

const ms = (n: number) => n * 1e6;

describe('LoopDelayWindow', () => {
  it('shows a delay to every reader for one to two windows, however often anyone reads', () => {
    let now = 0;
    const delays = createHistogram();
    const window = new LoopDelayWindow(delays, 15_000, () => now);
    delays.record(ms(2));
    delays.record(ms(120)); // a stall at t = 0
    // A dashboard reading every second does not take the stall from a scrape 15 s later.
    for (now = 1_000; now < 15_000; now += 1_000) expect(window.read().max).toBeCloseTo(0.12, 2);
    now = 15_000;
    expect(window.read().max).toBeCloseTo(0.12, 2); // closes the first window, still reported
    now = 29_000;
    expect(window.read().max).toBeCloseTo(0.12, 2); // the last completed window
    delays.record(ms(3));
    now = 30_000;
    expect(window.read().max).toBeCloseTo(0.12, 2); // closes the second: the stall is in "previous" no more after it
    now = 31_000;
    expect(window.read().max).toBeCloseTo(0.003, 3);
  });

  it('reads 0 with no delay recorded, and forgets start-up on restart', () => {
    let now = 0;
    const delays = createHistogram();
    const window = new LoopDelayWindow(delays, 15_000, () => now);
    expect(window.read()).toEqual({ p99: 0, max: 0 });
    delays.record(ms(100));
    now = 20_000;
    window.read(); // the start-up stall is now the previous window
    window.restart();
    delays.record(ms(1));
    expect(window.read().max).toBeCloseTo(0.001, 3);
  });
});
