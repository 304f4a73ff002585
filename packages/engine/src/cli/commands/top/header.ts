import { Box, Text } from 'ink';
import { createElement as h, type ReactNode } from 'react';
import type { DashboardSnapshot } from '../../../dashboard/dashboard-snapshot.js';
import { formatFigure } from '../../../dashboard/format-figure.js';

/** HH:MM:SS of an epoch-ms time, in the terminal's time zone (what a clock on the wall says). */
export function clockTime(atMs: number): string {
  const d = new Date(atMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The reason, without the target's address in front (the line above names it): room to read it. */
function withoutTarget(error: string | undefined, target: string): string {
  if (error === undefined) return 'no answer';
  return error.startsWith(target) ? error.slice(target.length).replace(/^[:\s]+/, '') : error;
}

/**
 * The two top lines. First: what is watched (node or fleet, and where), the tick period, how
 * often the screen refreshes, and the time of the sample shown. Second: whether the target
 * answers and for how long — or, in red, why it does not (a line of its own, so the reason fits
 * in 80 columns); the rest of the screen stays as it was, and is retried every interval.
 */
export function Header(props: {
  readonly kind: 'node' | 'fleet';
  readonly target: string;
  readonly snapshot: DashboardSnapshot | undefined;
  /** When the target last started answering (epoch ms), for "reachable for 3m 10s". */
  readonly reachableSince: number | undefined;
  readonly intervalSeconds: number;
  readonly width: number;
}): ReactNode {
  const { snapshot, kind, target, intervalSeconds } = props;
  const every = `every ${intervalSeconds} s`;
  const tick =
    snapshot?.tickPeriodSeconds === null || snapshot?.tickPeriodSeconds === undefined
      ? ''
      : `  tick ${formatFigure(snapshot.tickPeriodSeconds, 'seconds')}`;
  let status: ReactNode;
  if (snapshot === undefined) status = h(Text, { color: 'yellow' }, `connecting to ${target}…`);
  else if (!snapshot.reachable)
    status = h(
      Text,
      null,
      h(Text, { color: 'red', bold: true }, `✖ unreachable: ${withoutTarget(snapshot.error, target)}`),
      h(Text, { dimColor: true }, '  retrying'),
    );
  else {
    // "for 0.00 ms" on the first answer says nothing: the duration shows from one second on.
    const seconds = props.reachableSince === undefined ? 0 : (snapshot.at - props.reachableSince) / 1000;
    const since = seconds >= 1 ? ` for ${formatFigure(seconds, 'seconds')}` : '';
    status = h(Text, { color: 'green' }, `● reachable${since}`);
  }
  const time = snapshot === undefined ? '' : clockTime(snapshot.at);
  return h(
    Box,
    { flexDirection: 'column', width: props.width, height: 2, flexShrink: 0 },
    h(
      Box,
      { flexDirection: 'row', width: props.width, height: 1 },
      h(
        Box,
        { flexGrow: 1, flexShrink: 1, overflow: 'hidden' },
        h(
          Text,
          { wrap: 'truncate' },
          h(Text, { bold: true, color: 'cyan' }, 'leviathan top'),
          `  ${kind} ${target}`,
          h(Text, { dimColor: true }, `${tick}  ${every}`),
        ),
      ),
      h(Box, { flexShrink: 0 }, h(Text, { dimColor: true }, time ? ` ${time}` : '')),
    ),
    h(Box, { width: props.width, height: 1, overflow: 'hidden' }, h(Text, { wrap: 'truncate' }, status)),
  );
}
