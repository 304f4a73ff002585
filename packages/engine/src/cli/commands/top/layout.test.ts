import { describe, expect, it } from 'vitest';
import { LABEL_WIDTH, PANEL_CHROME, topLayout, VALUE_WIDTH } from './layout.js';

describe('topLayout', () => {
  it('80x24: one column, numbers two per line, bars filling the width', () => {
    const l = topLayout(80, 24);
    expect(l).toMatchObject({
      twoColumns: false,
      leftWidth: 80,
      rightWidth: 0,
      numberColumns: 2,
      bodyHeight: 20,
    });
    expect(LABEL_WIDTH + l.barWidth + 1 + VALUE_WIDTH + PANEL_CHROME).toBe(80);
  });
  it('200x50: two columns, wider bars and longer sparklines', () => {
    const small = topLayout(80, 24);
    const l = topLayout(200, 50);
    expect(l).toMatchObject({ twoColumns: true, leftWidth: 100, rightWidth: 100, numberColumns: 1 });
    expect(l.barWidth).toBeGreaterThan(small.barWidth);
    expect(l.sparkWidth).toBeGreaterThan(small.sparkWidth * 4);
  });
  it('knows a terminal smaller than 60x16 is too small', () => {
    expect(topLayout(20, 5)).toMatchObject({ tooSmall: true, terminalColumns: 20, terminalRows: 5 });
    expect(topLayout(60, 16).tooSmall).toBe(false);
    expect(topLayout(59, 40).tooSmall).toBe(true);
  });
});
