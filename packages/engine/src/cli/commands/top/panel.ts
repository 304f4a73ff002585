import { Box, Text } from 'ink';
import { createElement as h, type ReactNode } from 'react';

/**
 * A btop-style box: a rounded border with the title set in its top edge (`╭─ meters ───╮`),
 * `width` columns wide and `height` lines tall (border included), content cut rather than
 * wrapped. Ink draws borders but not a title in one, so the top edge is a line of text.
 */
export function Panel(props: {
  readonly title: string;
  /** Right-hand note in the top edge: the sort order, a count. */
  readonly note?: string;
  readonly width: number;
  readonly height: number;
  readonly children?: ReactNode;
}): ReactNode {
  const { title, note, width, height } = props;
  const edge = Math.max(0, width - 2);
  const left = `─ ${title} `;
  const right = note === undefined ? '' : ` ${note} ─`;
  const fill = Math.max(0, edge - left.length - right.length);
  const top = `╭${(left + '─'.repeat(fill) + right).slice(0, edge)}╮`;
  return h(
    Box,
    { flexDirection: 'column', width, height, flexShrink: 0 },
    h(Text, { color: 'cyan', wrap: 'truncate' }, top),
    h(
      Box,
      {
        flexDirection: 'column',
        width,
        height: Math.max(1, height - 1),
        borderStyle: 'round',
        borderTop: false,
        borderColor: 'cyan',
        paddingX: 1,
        overflow: 'hidden',
      },
      props.children,
    ),
  );
}
