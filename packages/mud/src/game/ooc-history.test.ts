import { describe, expect, it } from 'vitest';
import { renderOocHistory } from '../render/ooc-text.js';
import { OocHistory, oocLineOf } from './ooc-history.js';

const line = (n: number) => ({ from: `p${n}`, text: `line ${n}`, at: n });

describe('OocHistory', () => {
  it('keeps the last lines, oldest first, however many are said', () => {
    const h = new OocHistory(3);
    expect(h.recent()).toEqual([]);
    h.add(line(1));
    h.add(line(2));
    expect(h.recent()).toEqual([line(1), line(2)]);
    for (let n = 3; n <= 10; n++) h.add(line(n));
    expect(h.recent()).toEqual([line(8), line(9), line(10)]);
  });
  it('keeps lines in the order they were said, whatever order they arrive in', () => {
    const h = new OocHistory(3);
    h.add(line(5));
    // Said earlier on another shard, told here a tick later.
    h.add(line(3));
    h.add(line(5.5));
    expect(h.recent()).toEqual([line(3), line(5), line(5.5)]);
    // Full: a late line older than all kept is not among the last lines; a newer one pushes out the oldest.
    h.add(line(1));
    expect(h.recent()).toEqual([line(3), line(5), line(5.5)]);
    h.add(line(4));
    expect(h.recent()).toEqual([line(4), line(5), line(5.5)]);
  });
  it('keeps lines said at the same moment in the order they came', () => {
    const h = new OocHistory(3);
    h.add({ from: 'ann', text: 'first', at: 7 });
    h.add({ from: 'bo', text: 'second', at: 7 });
    expect(h.recent().map((l) => l.text)).toEqual(['first', 'second']);
  });
  it("merges another shard's history, keeping each line once", () => {
    const h = new OocHistory(5);
    h.add(line(2));
    h.add(line(4));
    for (const l of [line(1), line(2), line(3), line(4)]) h.merge(l);
    expect(h.recent()).toEqual([line(1), line(2), line(3), line(4)]);
  });
  it('reads a line told by another shard, and leaves out data of another shape', () => {
    expect(oocLineOf({ from: 'ann', text: 'hi', at: 1 })).toEqual({ from: 'ann', text: 'hi', at: 1 });
    expect(oocLineOf({ from: 'ann', text: 'hi' })).toBeUndefined();
    expect(oocLineOf(['ann', 'hi', 1])).toBeUndefined();
    expect(oocLineOf('hi')).toBeUndefined();
  });
  it('refuses a capacity that keeps nothing', () => {
    expect(() => new OocHistory(0)).toThrow(RangeError);
  });
});

describe('renderOocHistory', () => {
  const now = Date.UTC(2026, 11, 6, 7, 0);
  it('gives who and when, in UTC, with the date for earlier days', () => {
    const lines = [
      { from: 'ann', text: 'still up?', at: Date.UTC(2026, 11, 5, 23, 58) },
      { from: 'bo', text: 'morning', at: Date.UTC(2026, 11, 6, 6, 41) },
    ];
    expect(renderOocHistory(lines, now)).toBe(
      'The OOC channel, last 2 lines (UTC):\n2026-12-05 23:58 [OOC] ann: still up?\n06:41 [OOC] bo: morning',
    );
  });
  it('says how to start when nothing was said', () => {
    expect(renderOocHistory([], now)).toBe(
      'Nothing has been said on the OOC channel yet. Say something: ooc <text>',
    );
  });
});
