import { createElement as h, type ReactNode } from 'react';
import type { NodeRow, ShardRow, ZoneRow } from '../../../dashboard/dashboard-snapshot.js';
import { formatFigure, MISSING } from '../../../dashboard/format-figure.js';
import { levelColour } from './level-colour.js';
import { meterBar } from './meter-bar.js';
import { sortNodes, sortShards, sortZones } from './sort-rows.js';
import { type Cell, type Column, Table } from './table.js';
import type { TopSort } from './view-state.js';

/** up / down / — (the node that would report it is down), in green, red or dim. */
function stateCell(up: boolean | null): Cell {
  if (up === null) return { text: MISSING, dim: true };
  return up ? { text: 'up', colour: 'green' } : { text: 'down', colour: 'red' };
}

/** A shard's name: `shard 0` with one node, `host:port/0` in a fleet. */
function shardName(row: ShardRow, nodes: number): string {
  return nodes > 1 ? `${row.node}/${row.shard}` : `shard ${row.shard}`;
}

const NODE_COLUMNS: readonly Column[] = [
  { header: 'node' },
  { header: 'state', width: 5 },
  { header: 'players', width: 8, align: 'right' },
  { header: 'cmd/s', width: 8, align: 'right' },
  { header: 'p99', width: 8, align: 'right' },
];

export function NodesTable(props: {
  readonly rows: readonly NodeRow[];
  readonly sort: TopSort;
  readonly width: number;
  readonly height: number;
}): ReactNode {
  const rows = sortNodes(props.rows, props.sort).map((n): Cell[] => [
    { text: n.node, colour: n.up ? undefined : 'red' },
    stateCell(n.up),
    { text: formatFigure(n.players, 'count') },
    { text: formatFigure(n.commandsPerSecond, 'perSecond') },
    { text: formatFigure(n.latencyP99Seconds, 'seconds'), colour: levelColour(n.level) },
  ]);
  return h(Table, {
    columns: NODE_COLUMNS,
    rows,
    width: props.width,
    height: props.height,
    empty: 'no nodes',
  });
}

/** The shard table, narrow (overview at 80 columns) or with overruns when there is room. */
export function ShardsTable(props: {
  readonly rows: readonly ShardRow[];
  readonly nodes: number;
  readonly sort: TopSort;
  readonly width: number;
  readonly height: number;
}): ReactNode {
  const wide = props.width >= 56;
  const columns: Column[] = [
    { header: 'shard' },
    { header: 'state', width: 5 },
    { header: 'players', width: 7, align: 'right' },
    { header: 'tick p99', width: 8, align: 'right' },
    { header: 'load', width: 5, align: 'right' },
    ...(wide ? [{ header: 'overruns', width: 9, align: 'right' as const }] : []),
  ];
  const rows = sortShards(props.rows, props.sort).map((s): Cell[] => {
    const colour = s.up === false ? 'red' : levelColour(s.level);
    return [
      { text: shardName(s, props.nodes), colour: s.up === false ? 'red' : undefined },
      stateCell(s.up),
      { text: formatFigure(s.players, 'count') },
      { text: formatFigure(s.tickP99Seconds, 'seconds') },
      { text: formatFigure(s.tickLoad, 'ratio'), colour },
      ...(wide ? [{ text: formatFigure(s.overrunsPerSecond, 'perSecond'), colour }] : []),
    ];
  });
  return h(Table, { columns, rows, width: props.width, height: props.height, empty: 'no shards reported' });
}

/**
 * The busiest zones; with room, a bar of each zone's players beside the busiest one shown (the
 * bar compares rows on screen, it is not a figure).
 */
export function ZonesTable(props: {
  readonly rows: readonly ZoneRow[];
  readonly nodes: number;
  readonly sort: TopSort;
  readonly width: number;
  readonly height: number;
}): ReactNode {
  const sorted = sortZones(props.rows, props.sort);
  const barWidth = props.width >= 60 ? Math.min(40, props.width - 44) : 0;
  const busiest = sorted.reduce((max, z) => Math.max(max, z.players), 0);
  const columns: Column[] = [
    { header: 'zone' },
    { header: props.nodes > 1 ? 'node/shard' : 'shard', width: props.nodes > 1 ? 18 : 5 },
    { header: 'players', width: 7, align: 'right' },
    ...(barWidth > 0 ? [{ header: '', width: barWidth }] : []),
  ];
  const rows = sorted.map((z): Cell[] => [
    { text: z.zone },
    { text: props.nodes > 1 ? `${z.node}/${z.shard}` : z.shard, dim: true },
    { text: formatFigure(z.players, 'count') },
    ...(barWidth > 0
      ? [{ text: meterBar(busiest > 0 ? z.players / busiest : 0, barWidth).full, colour: 'cyan' as const }]
      : []),
  ]);
  return h(Table, {
    columns,
    rows,
    width: props.width,
    height: props.height,
    empty: 'no zones with players',
  });
}
