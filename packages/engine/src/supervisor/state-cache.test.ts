import { describe, expect, it } from 'vitest';
import { StateCache } from './state-cache.js';

const snap = (username: string, version: number, zone = 'town') => ({
  username,
  version,
  data: { zone, room: null, state: { v: version } },
});

describe('StateCache', () => {
  it('keeps the newest version of a player', () => {
    const cache = new StateCache();
    cache.putPlayer(snap('ann', 3));
    cache.putPlayer(snap('ann', 2));
    expect(cache.player('ann')?.version).toBe(3);
    cache.putPlayer(snap('ann', 4, 'forest'));
    expect(cache.player('ann')?.data.zone).toBe('forest');
  });

  it('evicts the oldest logged-out players beyond its bound, never online ones', () => {
    const cache = new StateCache(2);
    for (const name of ['a', 'b', 'c', 'online']) cache.putPlayer(snap(name, 1));
    cache.offline('a');
    cache.offline('b');
    cache.offline('c');
    expect(cache.player('a')).toBeUndefined();
    expect(cache.player('b')).toBeDefined();
    expect(cache.player('online')).toBeDefined();
  });

  it('returns the world records of given zones', () => {
    const cache = new StateCache();
    cache.putWorld([
      { key: 'town/', version: 1, data: {} },
      { key: 'town/door', version: 1, data: { open: true } },
      { key: 'forest/tree', version: 1, data: {} },
    ]);
    expect(cache.worldOf(new Set(['town'])).map((r) => r.key)).toEqual(['town/', 'town/door']);
  });
});
