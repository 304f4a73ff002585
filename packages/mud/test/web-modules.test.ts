import { describe, expect, it } from 'vitest';

// The browser client is plain JavaScript with no build step; its DOM-free modules load in Node.
interface History {
  push(line: string): void;
  up(current: string): string;
  down(current: string): string;
}
const historyUrl = new URL('../web/history.js', import.meta.url).href;
const connectionUrl = new URL('../web/connection.js', import.meta.url).href;
const { createHistory } = (await import(historyUrl)) as { createHistory: (limit?: number) => History };
const { backoffMs } = (await import(connectionUrl)) as {
  backoffMs: (n: number, random?: () => number) => number;
};

describe('web client input history', () => {
  it('walks back and forth through earlier lines and keeps the draft', () => {
    const h = createHistory();
    h.push('look');
    h.push('north');
    h.push('north');
    h.push('   ');
    expect(h.up('say hel')).toBe('north');
    expect(h.up('north')).toBe('look');
    expect(h.up('look')).toBe('look');
    expect(h.down('look')).toBe('north');
    expect(h.down('north')).toBe('say hel');
    expect(h.down('say hel')).toBe('say hel');
  });
  it('keeps at most `limit` lines', () => {
    const h = createHistory(2);
    for (const l of ['a', 'b', 'c']) h.push(l);
    expect(h.up('')).toBe('c');
    expect(h.up('')).toBe('b');
    expect(h.up('')).toBe('b');
  });
});

describe('web client reconnect backoff', () => {
  it('doubles from 500 ms to a 15 s ceiling, with ±25 % jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffMs(n, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 15000, 15000, 15000,
    ]);
    expect(backoffMs(0, () => 0)).toBe(375);
    expect(backoffMs(0, () => 0.999999)).toBe(625);
  });
});
