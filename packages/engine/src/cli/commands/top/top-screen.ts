import { Box, Text } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import type { DashboardSnapshot } from '../../../dashboard/dashboard-snapshot.js';
import { Footer } from './footer.js';
import { GridView } from './grid-view.js';
import { Header } from './header.js';
import { HelpPanel } from './help-panel.js';
import { MIN_SIZE, type TopLayout } from './layout.js';
import { OverviewView } from './overview-view.js';
import type { ViewState } from './view-state.js';
import { ZonesView } from './zones-view.js';

export interface TopScreenProps {
  readonly kind: 'node' | 'fleet';
  readonly target: string;
  /** The latest sample; undefined before the first one. */
  readonly snapshot: DashboardSnapshot | undefined;
  readonly reachableSince: number | undefined;
  readonly intervalSeconds: number;
  readonly layout: TopLayout;
  readonly state: ViewState;
}

/**
 * One whole frame: header, the chosen view (or the help), footer. A pure function of its props,
 * so tests draw it with fixtures at any size, and the live app only adds state and keys.
 *
 * The frame is one line shorter than the terminal: a frame as tall as the terminal makes Ink 6.8
 * clear the whole screen before every redraw (ink.js, its "fullscreen" branch), which flickers;
 * one line short, it rewrites only the lines that changed.
 */
export function TopScreen(props: TopScreenProps): ReactNode {
  const { layout, state, snapshot } = props;
  if (layout.tooSmall) return h(TooSmall, { layout });
  const body = state.help
    ? h(HelpPanel, { width: layout.columns, height: layout.bodyHeight })
    : state.view === 'grid'
      ? h(GridView, { snapshot, layout, sort: state.sort })
      : state.view === 'zones'
        ? h(ZonesView, { snapshot, layout, sort: state.sort })
        : h(OverviewView, { snapshot, layout, sort: state.sort });
  return h(
    Box,
    { flexDirection: 'column', width: layout.columns, height: layout.rows - 1, overflow: 'hidden' },
    h(Header, {
      kind: props.kind,
      target: props.target,
      snapshot,
      reachableSince: props.reachableSince,
      intervalSeconds: props.intervalSeconds,
      width: layout.columns,
    }),
    h(Box, { height: layout.bodyHeight, flexShrink: 0, overflow: 'hidden' }, body),
    h(Footer, { view: state.view, sort: state.sort, width: layout.columns }),
  );
}

/** What a terminal below MIN_SIZE shows, each line cut to its width; a resize brings the view back. */
function TooSmall(props: { readonly layout: TopLayout }): ReactNode {
  const { terminalColumns, terminalRows } = props.layout;
  const line = (text: string) => text.slice(0, terminalColumns);
  return h(
    Box,
    { flexDirection: 'column', width: terminalColumns },
    h(Text, { color: 'yellow', wrap: 'truncate' }, line('Terminal too small')),
    h(
      Text,
      { wrap: 'truncate' },
      line(`${terminalColumns}x${terminalRows}, needs ${MIN_SIZE.columns}x${MIN_SIZE.rows}`),
    ),
    h(Text, { dimColor: true, wrap: 'truncate' }, line('q quits')),
  );
}
