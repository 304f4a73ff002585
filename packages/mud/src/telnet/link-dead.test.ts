import { describe, expect, it } from 'vitest';
import { LinkDeadCharacters } from './link-dead.js';

describe('LinkDeadCharacters', () => {
  it('gives a dropped character’s resume token once, to a login with its name', () => {
    const kept = new LinkDeadCharacters();
    kept.remember('vic', { resume: 'r1', session: 's1' });
    expect(kept.take('una')).toBeUndefined();
    expect(kept.take('vic')).toEqual({ resume: 'r1', session: 's1' });
    expect(kept.take('vic')).toBeUndefined();
    expect(kept.size).toBe(0);
  });

  it('keeps the latest drop of a name, and forgets tokens older than any grace period', () => {
    let now = 0;
    const kept = new LinkDeadCharacters(() => now);
    kept.remember('vic', { resume: 'r1', session: 's1' });
    kept.remember('vic', { resume: 'r2', session: 's2' });
    expect(kept.size).toBe(1);
    expect(kept.take('vic')?.resume).toBe('r2');
    kept.remember('vic', { resume: 'r3', session: 's3' });
    now = 86_400_001;
    expect(kept.take('vic')).toBeUndefined();
  });

  it('stays bounded: past 10,000 names the oldest goes first', () => {
    const kept = new LinkDeadCharacters();
    for (let i = 0; i <= 10_000; i++) kept.remember(`p${i}`, { resume: `r${i}`, session: `s${i}` });
    expect(kept.size).toBe(10_000);
    expect(kept.take('p0')).toBeUndefined();
    expect(kept.take('p10000')?.resume).toBe('r10000');
    kept.clear();
    expect(kept.size).toBe(0);
  });
});
