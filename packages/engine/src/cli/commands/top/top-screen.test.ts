import { renderToString } from 'ink';
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import type { DashboardSnapshot } from '../../../dashboard/dashboard-snapshot.js';
import { BUSY_NODE, DOWN_NODE } from './fixtures/snapshots.js';
import { topLayout } from './layout.js';
import { TopScreen } from './top-screen.js';
import { INITIAL_VIEW_STATE, type ViewState } from './view-state.js';

/** One frame of `columns` x `rows` as plain text (no colours: the output is not a terminal). */
function frame(
  snapshot: DashboardSnapshot | undefined,
  columns: number,
  rows: number,
  state: Partial<ViewState> = {},
): string[] {
  const text = renderToString(
    h(TopScreen, {
      kind: 'node',
      target: 'http://10.0.0.5:8080',
      snapshot,
      reachableSince: snapshot === undefined ? undefined : snapshot.at - 130_000,
      intervalSeconds: 1,
      layout: topLayout(columns, rows),
      state: { ...INITIAL_VIEW_STATE, ...state },
    }),
    { columns },
  );
  return text.split('\n');
}

/** Every line within the width, and the frame one line shorter than the terminal. */
function expectFits(lines: string[], columns: number, rows: number): void {
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
  expect(lines.length).toBe(rows - 1);
}

describe('TopScreen', () => {
  it('80x24 overview: every meter and number, the shards and the first zones, nothing wrapped', () => {
    const lines = frame(BUSY_NODE, 80, 24);
    expectFits(lines, 80, 24);
    const screen = lines.join('\n');
    expect(lines[0]).toMatch(
      /^leviathan top +node http:\/\/10\.0\.0\.5:8080 +tick 100 ms +every 1 s +\d\d:\d\d:\d\d$/,
    );
    expect(lines[1]).toBe('● reachable for 2m 10s');
    const meters: [string, string][] = [
      ['Latency p50', '52 ms'],
      ['Latency p95', '121 ms'],
      ['Latency p99', '180 ms'],
      ['Tick load', '112%'],
      ['Loop lag', '4.0 ms'],
      ['Save backlog', '230'],
      ['DB p99', '12 ms'],
      ['Shards up', '100%'],
    ];
    for (const [title, text] of meters)
      expect(screen).toMatch(new RegExp(`│ ${title} +[█░]{51} +${text.replace('.', '\\.')} │`));
    // p99 180 ms of a 300 ms scale: 60% of 51 cells.
    expect(/Latency p99 +(█+)/.exec(screen)![1]!.length).toBe(31);
    expect(screen).toMatch(/Players +1,204 [▁▂▃▄▅▆▇█]{12}/);
    expect(screen).toMatch(/Commands\/s +3,512\/s/);
    expect(screen).toMatch(/Mem\/player +3\.9 KiB/);
    expect(screen).toMatch(/Net out +2\.3 MiB\/s/);
    expect(screen).toMatch(/shard 0 up +400 +112 ms +112%/);
    expect(screen).toMatch(/zone-a +0 +200/);
    expect(lines.at(-1)).toMatch(/^ 1 overview +2 grid +3 zones +Tab +s sort:players +\? help +q quit/);
  });

  it('200x50 overview: meters and the grid side by side, long bars and sparklines, extra figures', () => {
    const lines = frame(BUSY_NODE, 200, 50);
    expectFits(lines, 200, 50);
    const screen = lines.join('\n');
    expect(lines.some((l) => /─ meters .*─ nodes /.test(l))).toBe(true);
    expect(/Latency p99 +([█░]+)/.exec(screen)![1]!.length).toBe(71);
    expect(/Players +1,204 ([▁▂▃▄▅▆▇█]+)/.exec(screen)![1]!.length).toBe(71);
    expect(screen).toMatch(/10\.0\.0\.5:8080 +up +1,204 +3,512\/s +180 ms/);
    expect(screen).toMatch(/shard 0 +up +400 +112 ms +112% +0\.7\/s/);
    // Room for every zone, and for the figures beyond the overview's own (overruns, RSS).
    expect(screen).toMatch(/zone-l +3 +35/);
    expect(screen).toMatch(/Overruns\/s +0\.7\/s/);
    expect(screen).toMatch(/RSS +512 MiB/);
  });

  it('grid and zones views, sorted by players, load or name', () => {
    const grid = frame(BUSY_NODE, 80, 24, { view: 'grid', sort: 'load' }).join('\n');
    expect(grid).toMatch(/─ shards ─+ 4\/4 up ─╮/);
    expect(grid.indexOf('shard 0')).toBeLessThan(grid.indexOf('shard 1'));
    const byName = frame(BUSY_NODE, 80, 24, { view: 'zones', sort: 'name' });
    const zones = byName.join('\n');
    expect(zones).toMatch(/─ busiest zones ─+ sort: name ─╮/);
    expect(zones).toMatch(/zone-a +0 +200 +█+/);
    expect(zones).toContain('zone-l');
    const byPlayers = frame({ ...BUSY_NODE, zones: [...BUSY_NODE.zones].reverse() }, 80, 24, {
      view: 'zones',
    }).join('\n');
    expect(byPlayers.indexOf('zone-a')).toBeLessThan(byPlayers.indexOf('zone-b'));
  });

  it('a small terminal says how many rows it could not show', () => {
    const screen = frame(BUSY_NODE, 80, 24).join('\n');
    expect(screen).toMatch(/… \d+ more/);
  });

  it('a terminal below 60x16 says it is too small, within its width', () => {
    const text = renderToString(
      h(TopScreen, {
        kind: 'node',
        target: 'http://10.0.0.5:8080',
        snapshot: BUSY_NODE,
        reachableSince: undefined,
        intervalSeconds: 1,
        layout: topLayout(40, 12),
        state: INITIAL_VIEW_STATE,
      }),
      { columns: 40 },
    );
    expect(text.split('\n')).toEqual(['Terminal too small', '40x12, needs 60x16', 'q quits']);
  });

  it('the target down: the reason in the header, every figure a dash, the shape of the screen kept', () => {
    const lines = frame(DOWN_NODE, 80, 24);
    expectFits(lines, 80, 24);
    const screen = lines.join('\n');
    expect(lines[1]).toBe('✖ unreachable: refused the connection (is the engine running?)  retrying');
    expect(screen).toMatch(/Latency p99 +░{51} +— │/);
    expect(screen).toMatch(/Players +— /);
    expect(screen).toMatch(/shard 0 +— +— +— +—/);
  });

  it('before the first sample: connecting, figures as dashes', () => {
    const lines = frame(undefined, 80, 24);
    expectFits(lines, 80, 24);
    expect(lines[1]).toBe('connecting to http://10.0.0.5:8080…');
    expect(lines.join('\n')).toMatch(/Shards up +░+ +—/);
  });

  it('the help lists the keys', () => {
    const screen = frame(BUSY_NODE, 80, 24, { help: true }).join('\n');
    expect(screen).toMatch(/─ help /);
    expect(screen).toMatch(/1 2 3 +overview, grid/);
    expect(screen).toMatch(/q +quit/);
  });
});
