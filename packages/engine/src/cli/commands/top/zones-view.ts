import { createElement as h, type ReactNode } from 'react';
import type { DashboardSnapshot } from '../../../dashboard/dashboard-snapshot.js';
import { ZonesTable } from './grid-tables.js';
import { PANEL_CHROME, type TopLayout } from './layout.js';
import { Panel } from './panel.js';
import type { TopSort } from './view-state.js';

/** The busiest zones (each shard reports its ten busiest), with a bar for each one's players. */
export function ZonesView(props: {
  readonly snapshot: DashboardSnapshot | undefined;
  readonly layout: TopLayout;
  readonly sort: TopSort;
}): ReactNode {
  const { snapshot, layout, sort } = props;
  return h(
    Panel,
    { title: 'busiest zones', note: `sort: ${sort}`, width: layout.columns, height: layout.bodyHeight },
    h(ZonesTable, {
      rows: snapshot?.zones ?? [],
      nodes: snapshot?.nodes.length ?? 0,
      sort,
      width: layout.columns - PANEL_CHROME,
      height: layout.bodyHeight - 2,
    }),
  );
}
