import { Text } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import { formatFigure } from '../../../dashboard/format-figure.js';
import { FIGURES } from '../../../metrics/figures.js';
import { fit } from './figure-rows.js';
import { KEY_HELP } from './key-bindings.js';
import { Panel } from './panel.js';

/** Keys, and what the colours say: the same levels as the alert rules (metrics/figures.ts). */
export function HelpPanel(props: { readonly width: number; readonly height: number }): ReactNode {
  return h(
    Panel,
    { title: 'help', note: '? or Esc closes', width: props.width, height: props.height },
    ...KEY_HELP.map(([keys, does]) =>
      h(Text, { key: keys, wrap: 'truncate' }, h(Text, { bold: true }, fit(keys, 8)), does),
    ),
    h(Text, { key: 'gap' }, ' '),
    h(
      Text,
      { key: 'levels', wrap: 'truncate' },
      h(Text, { color: 'green' }, 'green'),
      ' ok  ',
      h(Text, { color: 'yellow' }, 'yellow'),
      ' past the warning line  ',
      h(Text, { color: 'red' }, 'red'),
      ' past the alert line  ',
      h(Text, { dimColor: true }, '—'),
      ' no data',
    ),
    h(
      Text,
      { key: 'scale', wrap: 'truncate' },
      `Latency meters are full at ${formatFigure(FIGURES.commandLatencyP99.meterMax ?? null, 'seconds')}. Sparklines: newest sample at the right.`,
    ),
  );
}
