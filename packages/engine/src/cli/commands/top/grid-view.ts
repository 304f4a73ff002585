import { Box } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import type { DashboardSnapshot } from '../../../dashboard/dashboard-snapshot.js';
import { NodesTable, ShardsTable } from './grid-tables.js';
import { PANEL_CHROME, type TopLayout } from './layout.js';
import { Panel } from './panel.js';
import type { TopSort } from './view-state.js';

/** Border lines of a panel, and the table's header line. */
const CHROME_LINES = 3;

/** The grid: every node, then every shard with its tick time, load and overruns. */
export function GridView(props: {
  readonly snapshot: DashboardSnapshot | undefined;
  readonly layout: TopLayout;
  readonly sort: TopSort;
}): ReactNode {
  const { snapshot, layout, sort } = props;
  const nodes = snapshot?.nodes ?? [];
  const shards = snapshot?.shards ?? [];
  const nodesHeight = Math.min(Math.max(1, nodes.length) + CHROME_LINES, Math.floor(layout.bodyHeight / 3));
  const shardsHeight = layout.bodyHeight - nodesHeight;
  const inner = layout.columns - PANEL_CHROME;
  const up = shards.filter((s) => s.up === true).length;
  return h(
    Box,
    { flexDirection: 'column', height: layout.bodyHeight },
    h(
      Panel,
      { title: 'nodes', note: `sort: ${sort}`, width: layout.columns, height: nodesHeight },
      h(NodesTable, { rows: nodes, sort, width: inner, height: nodesHeight - 2 }),
    ),
    h(
      Panel,
      { title: 'shards', note: `${up}/${shards.length} up`, width: layout.columns, height: shardsHeight },
      h(ShardsTable, { rows: shards, nodes: nodes.length, sort, width: inner, height: shardsHeight - 2 }),
    ),
  );
}
