import { Box } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import type { DashboardSnapshot } from '../../../dashboard/dashboard-snapshot.js';
import { formatFigure } from '../../../dashboard/format-figure.js';
import { METER_FIGURES, NUMBER_FIGURES, otherReadings, readingOf } from './figure-lookup.js';
import { MeterRow, NumberCell } from './figure-rows.js';
import { NodesTable, ShardsTable, ZonesTable } from './grid-tables.js';
import { PANEL_CHROME, type TopLayout } from './layout.js';
import { Panel } from './panel.js';
import type { TopSort } from './view-state.js';

interface ViewProps {
  readonly snapshot: DashboardSnapshot | undefined;
  readonly layout: TopLayout;
  readonly sort: TopSort;
}

/** Border lines of a panel (top edge and bottom edge). */
const BORDER = 2;
/** A panel shorter than this (a header and one row) is left out rather than drawn empty. */
const MIN_TABLE_PANEL = 4;

/** The meters panel: one bar per figure of METER_FIGURES. */
function MetersPanel(props: ViewProps): ReactNode {
  const { snapshot, layout } = props;
  return h(
    Panel,
    {
      title: 'meters',
      note: tickNote(snapshot),
      width: layout.leftWidth,
      height: METER_FIGURES.length + BORDER,
    },
    ...METER_FIGURES.map((id) =>
      h(MeterRow, { key: id, reading: readingOf(snapshot, id), barWidth: layout.barWidth }),
    ),
  );
}

/** What the latency meters are read against: their full scale is three ticks. */
function tickNote(snapshot: DashboardSnapshot | undefined): string | undefined {
  const tick = snapshot?.tickPeriodSeconds;
  return tick === null || tick === undefined ? undefined : `tick ${formatFigure(tick, 'seconds')}`;
}

/** The numbers panel: each figure of NUMBER_FIGURES with its sparkline, one or two per line. */
function NumbersPanel(
  props: ViewProps & { readonly extraLines: number; readonly minHeight?: number },
): ReactNode {
  const { snapshot, layout } = props;
  const inner = layout.leftWidth - PANEL_CHROME;
  const perLine = layout.numberColumns;
  const cellWidth = perLine === 1 ? inner : Math.floor((inner - 2) / 2);
  const readings = NUMBER_FIGURES.map((id) => readingOf(snapshot, id));
  const extras = otherReadings(snapshot).slice(0, Math.max(0, props.extraLines) * perLine);
  const all = [...readings, ...extras];
  const lines: ReactNode[] = [];
  for (let i = 0; i < all.length; i += perLine) {
    lines.push(
      h(
        Box,
        { key: String(i), flexDirection: 'row', gap: 2 },
        ...all
          .slice(i, i + perLine)
          .map((reading) =>
            h(NumberCell, { key: reading.id, reading, sparkWidth: layout.sparkWidth, width: cellWidth }),
          ),
      ),
    );
  }
  const height = Math.max(lines.length + BORDER, props.minHeight ?? 0);
  return h(Panel, { title: 'numbers', width: layout.leftWidth, height }, ...lines);
}

/**
 * Overview: meters, numbers, and as much of the grid and the zones as fits — beside them in a
 * large terminal, below them (shards and zones side by side) in a small one.
 */
export function OverviewView(props: ViewProps): ReactNode {
  const { snapshot, layout, sort } = props;
  const metersHeight = METER_FIGURES.length + BORDER;
  const numberLines = Math.ceil(NUMBER_FIGURES.length / layout.numberColumns);
  const nodes = snapshot?.nodes.length ?? 0;
  if (layout.twoColumns) {
    const extraLines = layout.bodyHeight - metersHeight - numberLines - BORDER;
    const rightInner = layout.rightWidth - PANEL_CHROME;
    const nodesHeight = Math.min(Math.max(nodes, 1) + 1 + BORDER, Math.floor(layout.bodyHeight / 3));
    const rest = layout.bodyHeight - nodesHeight;
    const shardsHeight = Math.min(
      (snapshot?.shards.length ?? 1) + 1 + BORDER,
      Math.max(MIN_TABLE_PANEL, Math.floor(rest / 2)),
    );
    const zonesHeight = rest - shardsHeight;
    return h(
      Box,
      { flexDirection: 'row', height: layout.bodyHeight },
      h(
        Box,
        { flexDirection: 'column', width: layout.leftWidth },
        h(MetersPanel, props),
        // Down to the bottom, as the right column goes: one frame, not panels floating.
        h(NumbersPanel, { ...props, extraLines, minHeight: layout.bodyHeight - metersHeight }),
      ),
      h(
        Box,
        { flexDirection: 'column', width: layout.rightWidth },
        h(
          Panel,
          { title: 'nodes', note: `sort: ${sort}`, width: layout.rightWidth, height: nodesHeight },
          h(NodesTable, {
            rows: snapshot?.nodes ?? [],
            sort,
            width: rightInner,
            height: nodesHeight - BORDER,
          }),
        ),
        h(
          Panel,
          { title: 'shards', width: layout.rightWidth, height: shardsHeight },
          h(ShardsTable, {
            rows: snapshot?.shards ?? [],
            nodes,
            sort,
            width: rightInner,
            height: shardsHeight - BORDER,
          }),
        ),
        zonesHeight >= MIN_TABLE_PANEL
          ? h(
              Panel,
              { title: 'busiest zones', width: layout.rightWidth, height: zonesHeight },
              h(ZonesTable, {
                rows: snapshot?.zones ?? [],
                nodes,
                sort,
                width: rightInner,
                height: zonesHeight - BORDER,
              }),
            )
          : null,
      ),
    );
  }
  const tablesHeight = layout.bodyHeight - metersHeight - numberLines - BORDER;
  const half = Math.floor(layout.columns / 2);
  return h(
    Box,
    { flexDirection: 'column', height: layout.bodyHeight },
    h(MetersPanel, props),
    h(NumbersPanel, { ...props, extraLines: 0 }),
    tablesHeight >= MIN_TABLE_PANEL
      ? h(
          Box,
          { flexDirection: 'row' },
          h(
            Panel,
            { title: 'shards', note: `sort: ${sort}`, width: half, height: tablesHeight },
            h(ShardsTable, {
              rows: snapshot?.shards ?? [],
              nodes,
              sort,
              width: half - PANEL_CHROME,
              height: tablesHeight - BORDER,
            }),
          ),
          h(
            Panel,
            { title: 'busiest zones', width: layout.columns - half, height: tablesHeight },
            h(ZonesTable, {
              rows: snapshot?.zones ?? [],
              nodes,
              sort,
              width: layout.columns - half - PANEL_CHROME,
              height: tablesHeight - BORDER,
            }),
          ),
        )
      : null,
  );
}
