import { Box, Text } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import type { FigureReading } from '../../../dashboard/dashboard-snapshot.js';
import { LABEL_WIDTH, VALUE_WIDTH } from './layout.js';
import { levelColour } from './level-colour.js';
import { meterBar } from './meter-bar.js';
import { sparkline } from './sparkline.js';

/** `text` cut or padded to exactly `width` columns, so a row never wraps. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}

/**
 * A meter: `Latency p99  ███████░░░░░░░   87 ms`, the bar filled by the reading's `fill` and the
 * bar and value coloured by its level (dim when there is no value).
 */
export function MeterRow(props: { readonly reading: FigureReading; readonly barWidth: number }): ReactNode {
  const { reading, barWidth } = props;
  const colour = levelColour(reading.level);
  const bar = meterBar(reading.fill, barWidth);
  const dim = colour === undefined;
  return h(
    Box,
    { flexDirection: 'row', flexShrink: 0 },
    h(Text, { wrap: 'truncate' }, fit(reading.title, LABEL_WIDTH)),
    h(Text, { color: colour, dimColor: dim, wrap: 'truncate' }, bar.full),
    h(Text, { dimColor: true, wrap: 'truncate' }, bar.empty),
    h(
      Text,
      { color: colour, dimColor: dim, bold: !dim, wrap: 'truncate' },
      fit(reading.text, VALUE_WIDTH + 1, 'right'),
    ),
  );
}

/** A number and its history: `Players         1,204 ▁▂▃▅▆▇█▇`. */
export function NumberCell(props: {
  readonly reading: FigureReading;
  readonly sparkWidth: number;
  readonly width: number;
}): ReactNode {
  const { reading, sparkWidth, width } = props;
  const colour = levelColour(reading.level);
  const dim = reading.value === null;
  return h(
    Box,
    { flexDirection: 'row', width, flexShrink: 0 },
    h(Text, { wrap: 'truncate' }, fit(reading.title, LABEL_WIDTH)),
    h(Text, { bold: !dim, dimColor: dim, wrap: 'truncate' }, fit(reading.text, VALUE_WIDTH, 'right')),
    h(Text, { wrap: 'truncate' }, ' '),
    h(
      Text,
      { color: colour === 'green' ? 'cyan' : colour, dimColor: dim, wrap: 'truncate' },
      sparkline(reading.history, sparkWidth),
    ),
  );
}
