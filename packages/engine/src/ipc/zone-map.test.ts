import { describe, expect, it } from 'vitest';
import { buildZoneMap, fnv1a, shardOfZone } from './zone-map.js';

describe('zone map', () => {
  it('is deterministic and in range', () => {
    for (const zone of ['town', 'forest', 'caves', 'a', '']) {
      const s = shardOfZone(zone, 3);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(3);
      expect(shardOfZone(zone, 3)).toBe(s);
    }
    expect(fnv1a('town')).toBe(fnv1a('town'));
    expect(fnv1a('a')).toBe(0xe40c292c);
  });

  it('takes explicit placements first and ignores out-of-range ones', () => {
    expect(shardOfZone('town', 4, { town: 2 })).toBe(2);
    expect(shardOfZone('town', 4, { town: 9 })).toBe(fnv1a('town') % 4);
    expect(buildZoneMap(['town', 'forest'], 2, { forest: 1, town: 0 })).toEqual({ town: 0, forest: 1 });
  });
});
