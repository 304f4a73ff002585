import { describe, expect, it } from 'vitest';
import { LatestScrape } from './latest-scrape.js';

describe('LatestScrape', () => {
  it('scrapes afresh for /metrics, shares a scrape in flight, and lets the dashboard reuse a recent one', async () => {
    let scrapes = 0;
    const latest = new LatestScrape(async () => `text ${++scrapes}`);
    expect(await Promise.all([latest.fresh(), latest.fresh()])).toEqual(['text 1', 'text 1']);
    expect(await latest.recent(60_000)).toBe('text 1'); // young enough: no new scrape
    expect(await latest.fresh()).toBe('text 2'); // /metrics is never served an old text
    await new Promise((r) => setTimeout(r, 5));
    expect(await latest.recent(1)).toBe('text 3'); // too old for the dashboard: a new scrape
  });

  it('does not keep a failed scrape: the next call tries again', async () => {
    let fail = true;
    const latest = new LatestScrape(async () => {
      if (fail) throw new Error('shard 0 did not answer');
      return 'ok';
    });
    await expect(latest.recent(60_000)).rejects.toThrow('shard 0 did not answer');
    fail = false;
    expect(await latest.recent(60_000)).toBe('ok');
  });
});
