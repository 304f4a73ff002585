/**
 * How `leviathan top` shares out the terminal: every width and count the views draw with, from
 * the terminal's size alone, so the same snapshot draws the same way at the same size (and a test
 * can check 80x24 and 200x50 without a terminal).
 */
export interface TopLayout {
  readonly columns: number;
  readonly rows: number;
  /** Lines between the header and the footer. */
  readonly bodyHeight: number;
  /** Meters and numbers on the left, the grid and zones on the right (a large terminal). */
  readonly twoColumns: boolean;
  /** Outer width of the left panels (all panels when not in two columns). */
  readonly leftWidth: number;
  /** Outer width of the right panels (0 when not in two columns). */
  readonly rightWidth: number;
  /** Cells of a meter's bar. */
  readonly barWidth: number;
  /** Number panel: figures side by side per line (2 in a short terminal). */
  readonly numberColumns: 1 | 2;
  /** Points of a sparkline. */
  readonly sparkWidth: number;
}

/** A meter or number label: figure titles are at most 14 characters (metrics/figures.ts). */
export const LABEL_WIDTH = 14;
/** A written value, right-aligned: `1,204/s`, `3.9 KiB/s`, `2m 10s`. */
export const VALUE_WIDTH = 10;
/** A panel's border and padding on each side. */
export const PANEL_CHROME = 4;
/** Two header lines, the footer, and the one line kept free below the frame (see top-screen.ts). */
const FRAME_LINES = 4;

/** Smallest size drawn as designed; below it lines are cut, never wrapped. */
const MIN_COLUMNS = 60;
const MIN_ROWS = 16;
/** From this size up, two columns: the grid and the zones beside the meters. */
const TWO_COLUMNS_FROM = { columns: 120, rows: 30 } as const;
/** From this body height up, the numbers panel has room for one figure per line. */
const ONE_NUMBER_PER_LINE_FROM = 26;

export function topLayout(terminalColumns: number, terminalRows: number): TopLayout {
  const columns = Math.max(MIN_COLUMNS, terminalColumns);
  const rows = Math.max(MIN_ROWS, terminalRows);
  const bodyHeight = rows - FRAME_LINES;
  const twoColumns = columns >= TWO_COLUMNS_FROM.columns && rows >= TWO_COLUMNS_FROM.rows;
  const leftWidth = twoColumns ? Math.floor(columns / 2) : columns;
  const rightWidth = twoColumns ? columns - leftWidth : 0;
  const inner = leftWidth - PANEL_CHROME;
  const numberColumns = twoColumns || bodyHeight >= ONE_NUMBER_PER_LINE_FROM ? 1 : 2;
  const numberCell = numberColumns === 1 ? inner : Math.floor((inner - 2) / 2);
  return {
    columns,
    rows,
    bodyHeight,
    twoColumns,
    leftWidth,
    rightWidth,
    barWidth: inner - LABEL_WIDTH - VALUE_WIDTH - 1,
    numberColumns,
    sparkWidth: Math.max(0, numberCell - LABEL_WIDTH - VALUE_WIDTH - 1),
  };
}
