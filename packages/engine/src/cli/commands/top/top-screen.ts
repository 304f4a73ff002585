import { Box } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import type { DashboardSnapshot } from '../../../dashboard/dashboard-snapshot.js';
import { Footer } from './footer.js';
import { GridView } from './grid-view.js';
import { Header } from './header.js';
import { HelpPanel } from './help-panel.js';
import type { TopLayout } from './layout.js';
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
