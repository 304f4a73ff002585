/**
 * How `leviathan top` shares out the terminal: every width and count the views draw with, from
 * the terminal's size alone, so the same snapshot draws the same way at the same size (and a test
 * can check 80x24 and 200x50 without a terminal).
 */
export interface TopLayout {
  /** The terminal's size: the frame is cut to it. */
  readonly terminalColumns: number;
  readonly terminalRows: number;
  /** Below the smallest size drawn (MIN_SIZE): the screen says so instead of a cut-up frame. */
  readonly tooSmall: boolean;
  /** The size the screen is laid out for: the terminal's, or the smallest drawn as designed. */
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

/**
 * The smallest terminal the screen is drawn in. Below it the view says the terminal is too small
 * (as btop does) rather than draw a frame cut at the edges: Ink 6.8 does not clip nested boxes to
 * an outer box, so a frame wider than the terminal wraps and scrolls it (seen in a render test).
 */
export const MIN_SIZE = { columns: 60, rows: 16 } as const;
/** From this size up, two columns: the grid and the zones beside the meters. */
const TWO_COLUMNS_FROM = { columns: 120, rows: 30 } as const;
/** From this body height up, the numbers panel has room for one figure per line. */
const ONE_NUMBER_PER_LINE_FROM = 26;

export function topLayout(terminalColumns: number, terminalRows: number): TopLayout {
  const columns = Math.max(MIN_SIZE.columns, terminalColumns);
  const rows = Math.max(MIN_SIZE.rows, terminalRows);
  const bodyHeight = rows - FRAME_LINES;
  const twoColumns = columns >= TWO_COLUMNS_FROM.columns && rows >= TWO_COLUMNS_FROM.rows;
  const leftWidth = twoColumns ? Math.floor(columns / 2) : columns;
  const rightWidth = twoColumns ? columns - leftWidth : 0;
  const inner = leftWidth - PANEL_CHROME;
  const numberColumns = twoColumns || bodyHeight >= ONE_NUMBER_PER_LINE_FROM ? 1 : 2;
  const numberCell = numberColumns === 1 ? inner : Math.floor((inner - 2) / 2);
  return {
    terminalColumns: Math.max(1, terminalColumns),
    terminalRows: Math.max(2, terminalRows),
    tooSmall: terminalColumns < MIN_SIZE.columns || terminalRows < MIN_SIZE.rows,
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
