import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer.js';
import { newResumeToken, resumeTokenMatches } from './resume-token.js';

describe('ReplayBuffer', () => {
  it('keeps the newest messages within its bounds, oldest first, and counts what it dropped', () => {
    const r = new ReplayBuffer(3, 100);
    for (const m of ['a', 'b', 'c', 'd']) r.push(m);
    expect(r.dropped).toBe(1);
    expect(r.drain()).toEqual(['b', 'c', 'd']);
    expect(r.size).toBe(0);
    const bytes = new ReplayBuffer(10, 5);
    bytes.push('abc');
    bytes.push('de');
    bytes.push('f');
    expect(bytes.drain()).toEqual(['de', 'f']);
    bytes.push('x'.repeat(6));
    expect(bytes.size).toBe(0);
  });
});

describe('resume tokens', () => {
  it('are unique and match only themselves', () => {
    const a = newResumeToken();
    const b = newResumeToken();
    expect(a).not.toBe(b);
    expect(resumeTokenMatches(a, a)).toBe(true);
    expect(resumeTokenMatches(a, b)).toBe(false);
    expect(resumeTokenMatches(a, a.slice(1))).toBe(false);
    expect(resumeTokenMatches('', '')).toBe(false);
  });
});
