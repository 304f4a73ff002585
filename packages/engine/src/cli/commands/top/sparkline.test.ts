import { describe, expect, it } from 'vitest';
import { meterBar } from './meter-bar.js';
import { sparkline } from './sparkline.js';

describe('sparkline', () => {
  it('draws the last points, newest at the right, from zero to the largest shown', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([100, 0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
  });
  it('pads a short history on the left and leaves a gap where a sample had no value', () => {
    expect(sparkline([7, null, 7], 5)).toBe('  █ █');
  });
  it('reads a steady figure as a flat line and all zeros as the lowest block', () => {
    expect(sparkline([5, 5, 5], 3)).toBe('███');
    expect(sparkline([0, 0], 2)).toBe('▁▁');
    expect(sparkline([], 3)).toBe('   ');
    expect(sparkline([1, 2], 0)).toBe('');
  });
});

describe('meterBar', () => {
  it('fills its share of the cells, at least one for any value above zero, none without a value', () => {
    expect(meterBar(0.5, 10)).toEqual({ full: '█████', empty: '░░░░░' });
    expect(meterBar(0.01, 10).full).toBe('█');
    expect(meterBar(0, 10).full).toBe('');
    expect(meterBar(null, 4)).toEqual({ full: '', empty: '░░░░' });
    expect(meterBar(3, 4)).toEqual({ full: '████', empty: '' });
  });
});
