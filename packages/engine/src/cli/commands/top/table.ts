import { Box, Text } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import { fit } from './figure-rows.js';

/** One cell: its text, and a colour when it carries a level. */
export interface Cell {
  readonly text: string;
  readonly colour?: 'green' | 'yellow' | 'red' | 'cyan' | undefined;
  readonly dim?: boolean;
}

export interface Column {
  readonly header: string;
  /** Columns wide; the one column without a width takes the rest (the name). */
  readonly width?: number;
  readonly align?: 'left' | 'right';
}

/**
 * A table that fits `width` columns and `height` lines (the header line included): cells are cut,
 * never wrapped, and rows that do not fit become a last line saying how many more there are.
 */
export function Table(props: {
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
  readonly width: number;
  readonly height: number;
  /** Shown instead of rows when there are none. */
  readonly empty: string;
}): ReactNode {
  const { columns, rows, width, height } = props;
  const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
  const gaps = columns.length - 1;
  const flex = Math.max(4, width - fixed - gaps);
  const widths = columns.map((c) => c.width ?? flex);
  const line = (cells: readonly Cell[], key: string, header = false): ReactNode =>
    h(
      Box,
      { key, flexDirection: 'row', flexShrink: 0 },
      ...cells.map((cell, i) =>
        h(
          Text,
          {
            key: String(i),
            wrap: 'truncate',
            color: cell.colour,
            dimColor: cell.dim === true,
            bold: header,
            underline: false,
          },
          (i > 0 ? ' ' : '') + fit(cell.text, widths[i]!, columns[i]!.align ?? 'left'),
        ),
      ),
    );
  const body = Math.max(0, height - 1);
  const shown = rows.length > body ? rows.slice(0, Math.max(0, body - 1)) : rows;
  const more = rows.length - shown.length;
  return h(
    Box,
    { flexDirection: 'column', width, flexShrink: 0 },
    line(
      columns.map((c) => ({ text: c.header, dim: true })),
      'header',
      true,
    ),
    ...(rows.length === 0 && body > 0
      ? [h(Text, { key: 'empty', dimColor: true, wrap: 'truncate' }, props.empty)]
      : shown.map((cells, i) => line(cells, String(i)))),
    ...(more > 0 ? [h(Text, { key: 'more', dimColor: true, wrap: 'truncate' }, `… ${more} more`)] : []),
  );
}
