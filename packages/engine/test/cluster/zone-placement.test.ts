import { describe, expect, it } from 'vitest';
import { placeZones, zonesOf } from '../../src/cluster/zone-placement.js';

const zones = Array.from({ length: 3000 }, (_, i) => `zone-${i}`);

function moved(before: Map<string, string>, after: Map<string, string>): string[] {
  return zones.filter((z) => before.get(z) !== after.get(z));
}

describe('zone placement (rendezvous hashing)', () => {
  it('gives every zone one owner, the same whatever order the nodes are listed in', () => {
    const a = placeZones(zones, ['n1', 'n2', 'n3']);
    const b = placeZones(zones, ['n3', 'n1', 'n2']);
    expect([...a.entries()]).toEqual([...b.entries()]);
    expect(a.size).toBe(zones.length);
  });

  it('spreads zones evenly', () => {
    const owners = placeZones(zones, ['n1', 'n2', 'n3']);
    for (const node of ['n1', 'n2', 'n3']) {
      const share = zonesOf(owners, node).length / zones.length;
      expect(share).toBeGreaterThan(0.29);
      expect(share).toBeLessThan(0.38);
    }
  });

  it('moves only what must move when a node joins or leaves', () => {
    const three = placeZones(zones, ['n1', 'n2', 'n3']);
    const four = placeZones(zones, ['n1', 'n2', 'n3', 'n4']);
    const joined = moved(three, four);
    // Only zones the new node now owns moved, about a quarter of them.
    expect(joined.every((z) => four.get(z) === 'n4')).toBe(true);
    expect(joined.length / zones.length).toBeGreaterThan(0.2);
    expect(joined.length / zones.length).toBeLessThan(0.3);

    const two = placeZones(zones, ['n1', 'n3']);
    const left = moved(three, two);
    // Only n2's zones moved.
    expect(left.every((z) => three.get(z) === 'n2')).toBe(true);
    expect(left.length).toBe(zonesOf(three, 'n2').length);
  });

  it('honours pins to nodes that are up, and ignores pins to nodes that are not', () => {
    const pins = { 'zone-1': 'n2', 'zone-2': 'n9' };
    const owners = placeZones(zones, ['n1', 'n2', 'n3'], { pins });
    expect(owners.get('zone-1')).toBe('n2');
    expect(owners.get('zone-2')).toBe(placeZones(['zone-2'], ['n1', 'n2', 'n3']).get('zone-2'));
  });

  it('gives the same answer as every earlier version (nodes of mixed versions must agree)', () => {
    // Recorded once. If this changes, a rolling upgrade would have two versions disagree on owners.
    const owners = placeZones(
      ['harbour', 'reef', 'lighthouse', 'market', 'crypt', 'dunes'],
      ['node-a', 'node-b', 'node-c'],
    );
    expect(Object.fromEntries(owners)).toEqual({
      harbour: 'node-a',
      reef: 'node-c',
      lighthouse: 'node-a',
      market: 'node-a',
      crypt: 'node-b',
      dunes: 'node-b',
    });
  });

  it('places nothing when no node is up', () => {
    expect(placeZones(zones, []).size).toBe(0);
  });
});
