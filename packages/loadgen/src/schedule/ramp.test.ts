import { describe, expect, it } from 'vitest';
import { ArrivalSchedule, rampValueAt, vusAt } from './ramp.js';
import { globalIndex, shareCount, slotOf } from './slot.js';

describe('vusAt', () => {
  const stages = [
    { durationMs: 2000, target: 10 },
    { durationMs: 5000, target: 100 },
    { durationMs: 2000, target: 0 },
  ];
  it('follows the seed script stages', () => {
    expect(vusAt(0, stages, 0)).toBe(0);
    expect(vusAt(0, stages, 1000)).toBe(5);
    expect(vusAt(0, stages, 2000)).toBe(10);
    expect(vusAt(0, stages, 4500)).toBe(55);
    expect(vusAt(0, stages, 7001)).toBe(100); // just past the peak: still 100 (99.95 rounds up)
    expect(vusAt(0, stages, 7000)).toBe(100);
    expect(vusAt(0, stages, 8000)).toBe(50);
    expect(vusAt(0, stages, 9000)).toBe(0);
    expect(vusAt(0, stages, 99_000)).toBe(0);
  });
  it('holds a flat stage', () => {
    expect(rampValueAt(3, [{ durationMs: 1000, target: 3 }], 500)).toBe(3);
  });
});

describe('ArrivalSchedule', () => {
  it('starts exactly rate × duration iterations at a constant rate, evenly spaced', () => {
    const s = new ArrivalSchedule(50, [{ durationMs: 2000, target: 50 }], 1000);
    const times: number[] = [];
    for (let g = 0; ; g++) {
      const t = s.timeOf(g);
      if (t === undefined) break;
      times.push(t);
    }
    expect(times.length).toBe(100);
    expect(new ArrivalSchedule(50, [{ durationMs: 2000, target: 50 }], 1000).total()).toBe(100);
    expect(times[0]).toBe(0);
    expect(times[1]).toBeCloseTo(20, 9);
    expect(times[99]).toBeCloseTo(1980, 9);
  });

  it('integrates a ramp: 0 → 100/s over 2 s starts 100 iterations, denser at the end', () => {
    const s = new ArrivalSchedule(0, [{ durationMs: 2000, target: 100 }], 1000);
    const times: number[] = [];
    for (let g = 0; ; g++) {
      const t = s.timeOf(g);
      if (t === undefined) break;
      times.push(t);
    }
    expect(times.length).toBe(100);
    const firstHalf = times.filter((t) => t < 1000).length;
    expect(firstHalf).toBe(25); // ∫0..1s of 50t dt = 25
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] as number);
  });

  it('skips a zero-rate stage and resumes', () => {
    const s = new ArrivalSchedule(
      0,
      [
        { durationMs: 1000, target: 0 },
        { durationMs: 1000, target: 10 },
        { durationMs: 1000, target: 10 },
      ],
      1000,
    );
    const first = s.timeOf(0) as number;
    expect(first).toBeGreaterThanOrEqual(1000);
    expect(s.total()).toBe(15);
  });

  it('walks a strided slot with the same cursor (a worker takes every n-th arrival)', () => {
    const all = new ArrivalSchedule(10, [{ durationMs: 1000, target: 10 }], 1000);
    const slot = slotOf(0, 1, 1, 3);
    const mine: number[] = [];
    for (let j = 0; ; j++) {
      const t = all.timeOf(globalIndex(j, slot));
      if (t === undefined) break;
      mine.push(t);
    }
    expect(mine.length).toBe(shareCount(10, slot));
    expect(mine[0]).toBeCloseTo(100, 9);
    expect(mine[1]).toBeCloseTo(400, 9);
  });
});

describe('slots', () => {
  it('split any count exactly over processes × workers', () => {
    for (const n of [0, 1, 7, 100, 101]) {
      let total = 0;
      for (let s = 0; s < 3; s++) for (let w = 0; w < 2; w++) total += shareCount(n, slotOf(s, 3, w, 2));
      expect(total).toBe(n);
    }
  });
});
