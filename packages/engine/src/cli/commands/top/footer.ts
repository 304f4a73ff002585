import { Box, Text } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import { type TopSort, type TopView, VIEWS } from './view-state.js';

const VIEW_LABELS: Record<TopView, string> = { overview: 'overview', grid: 'grid', zones: 'zones' };

/** The bottom line: the views (the current one highlighted) and the keys. */
export function Footer(props: {
  readonly view: TopView;
  readonly sort: TopSort;
  readonly width: number;
}): ReactNode {
  return h(
    Box,
    { flexDirection: 'row', width: props.width, height: 1, overflow: 'hidden' },
    h(
      Text,
      { wrap: 'truncate' },
      ...VIEWS.map((view, i) =>
        h(
          Text,
          { key: view, inverse: view === props.view, color: view === props.view ? 'cyan' : undefined },
          ` ${i + 1} ${VIEW_LABELS[view]} `,
        ),
      ),
      h(Text, { dimColor: true }, ` Tab  s sort:${props.sort}  ? help  q quit`),
    ),
  );
}
