/**
 * Places panels on Grafana's 24-column grid: a board is a list of sections (a row header, then
 * lines of panels left to right), so the generator says what sits beside what and this file
 * works out the coordinates and the ids.
 */
import type { PanelJson } from './panels.js';

export interface Section {
  /** The row header; absent for the headline meters at the top. */
  readonly title?: string;
  /** Lines of panels, each filling at most 24 columns; a line is as tall as its tallest panel. */
  readonly lines: readonly (readonly PanelJson[])[];
}

const GRID_COLUMNS = 24;

/** Every panel of every section with its id (1, 2, …) and grid position, row headers included. */
export function layOut(sections: readonly Section[]): PanelJson[] {
  const placed: PanelJson[] = [];
  let y = 0;
  const add = (p: PanelJson) => placed.push({ id: placed.length + 1, ...p });
  for (const section of sections) {
    if (section.title !== undefined) {
      add({
        type: 'row',
        title: section.title,
        collapsed: false,
        panels: [],
        gridPos: { x: 0, y, w: GRID_COLUMNS, h: 1 },
      });
      y += 1;
    }
    for (const line of section.lines) {
      let x = 0;
      let height = 0;
      for (const p of line) {
        const { w, h } = p.gridPos;
        if (x + w > GRID_COLUMNS)
          throw new Error(`"${String(p.title)}" does not fit its line (x ${x} + w ${w} > 24)`);
        add({ ...p, gridPos: { x, y, w, h } });
        x += w;
        height = Math.max(height, h);
      }
      y += height;
    }
  }
  return placed;
}
