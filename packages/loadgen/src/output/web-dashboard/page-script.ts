import type UPlot from 'uplot';
import type { DashboardData, DashboardEnd, DashboardPoint, DashboardStart } from './dashboard-data.js';
import { summaryView } from './page-summary.js';

/**
 * The page's script, written in TypeScript so that the compiler checks it against DashboardData,
 * and served as the text of these functions (as the engine's dashboard page is): each must reach
 * nothing outside its own body at run time but its parameters and the browser's globals (uPlot,
 * inlined before it).
 *
 * The data comes either embedded (the HTML report: a `<script type="application/json">` block)
 * or live, as Server-Sent Events from `events`: `start`, one `point` per interval (id = its
 * number, so a reconnecting EventSource gets only the points it missed) and `end`. SSE rather
 * than polling: a point reaches the page the moment the interval is merged, one connection does
 * it all, and the browser reconnects by itself, as k6's web dashboard does.
 *
 * Plots are rebuilt when the set of plotted series changes (a metric's first samples arrive) and
 * otherwise only given their data again. `window.leviathanDashboard` holds the points and the
 * uPlot instances: what the page plots can be read back, by a test or by whoever looks.
 */
function dashboardPage(renderEnd: (end: DashboardEnd, into: HTMLElement) => void): void {
  const U = (globalThis as unknown as { uPlot: typeof UPlot }).uPlot;
  const byId = (id: string) => document.getElementById(id) as HTMLElement;
  const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#0891b2', '#ca8a04', '#db2777'];
  /** Latency plots in this order first, then any other trend by name. */
  const MAIN_TRENDS = ['ws_cmd_duration', 'ws_request_duration', 'http_req_duration', 'iteration_duration'];
  const ERROR_COUNTERS = ['iteration_errors', 'ws_errors', 'ws_timeouts', 'dropped_iterations'];
  const points: DashboardPoint[] = [];
  const plots = new Map<string, UPlot>();
  let start: DashboardStart | undefined;
  let end: DashboardEnd | undefined;
  let signature = '';
  let pending = false;
  Object.assign(window, { leviathanDashboard: { points, plots } });

  interface SeriesDef {
    label: string;
    value: (p: DashboardPoint) => number | null;
  }
  interface PlotDef {
    id: string;
    title: string;
    /** What the plot shows, under its title. */
    note: string;
    /** The y axis' label. */
    axis: string;
    format: (v: number) => string;
    series: SeriesDef[];
    /** A fixed y range (percentages); otherwise from 0 to above the highest value. */
    range?: [number, number];
  }

  const two = (n: number) => String(n).padStart(2, '0');
  const clock = (s: number) => `${Math.floor(s / 60)}:${two(Math.floor(s % 60))}`;
  /** Three significant figures at most, no trailing zeros: 0.25, 3, 12.5, 1234. */
  const num = (v: number) => String(Number(v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2)));
  const ms = (v: number) =>
    v < 1 ? `${(v * 1000).toFixed(0)} µs` : v < 1000 ? `${num(v)} ms` : `${num(v / 1000)} s`;
  const perS = (v: number) => `${num(v)}/s`;
  const pct = (v: number) => `${v.toFixed(1)} %`;

  function plotDefs(): PlotDef[] {
    const seen = {
      c: new Set<string>(),
      q: new Set<string>(),
      n: new Set<string>(),
      r: new Set<string>(),
      g: new Set<string>(),
    };
    for (const p of points)
      for (const kind of ['c', 'q', 'n', 'r', 'g'] as const) for (const k in p[kind]) seen[kind].add(k);
    const count = (kind: 'c' | 'q', key: string, label: string): SeriesDef => ({
      label,
      value: (p) => (kind === 'c' ? (p.c[key] ?? 0) : (p.q[key]?.[0] ?? 0)) / p.s,
    });
    const throughput = [count('c', 'iterations', 'iterations')];
    if (seen.q.has('ws_cmd_duration')) throughput.push(count('q', 'ws_cmd_duration', 'ws commands'));
    if (seen.q.has('ws_request_duration')) throughput.push(count('q', 'ws_request_duration', 'ws requests'));
    if (seen.c.has('http_reqs')) throughput.push(count('c', 'http_reqs', 'http requests'));
    const errors = ERROR_COUNTERS.filter((k, i) => i === 0 || seen.c.has(k)).map((k) => count('c', k, k));
    if (seen.r.has('http_req_failed'))
      errors.push({ label: 'http_req_failed', value: (p) => (p.r.http_req_failed?.[1] ?? 0) / p.s });
    const defs: PlotDef[] = [
      {
        id: 'throughput',
        title: 'Throughput',
        note: 'completed per second in each interval',
        axis: 'per second',
        format: perS,
        series: throughput,
      },
      {
        id: 'vus',
        title: 'Virtual users',
        note: 'active VUs at the end of each interval',
        axis: 'VUs',
        format: num,
        series: ['vus', 'vus_max']
          .filter((k) => seen.g.has(k))
          .map((k) => ({ label: k, value: (p) => p.g[k] ?? null })),
      },
      {
        id: 'errors',
        title: 'Errors',
        note: 'failed iterations, connection errors, timeouts, dropped iterations per second',
        axis: 'per second',
        format: perS,
        series: errors,
      },
    ];
    if (seen.r.has('checks')) {
      const rate = (p: DashboardPoint) => {
        const [pass, fail] = p.r.checks ?? [0, 0];
        return pass + fail === 0 ? null : (100 * pass) / (pass + fail);
      };
      defs.push({
        id: 'checks',
        title: 'Checks',
        note: 'share of the checks in each interval that passed',
        axis: '% passed',
        format: pct,
        series: [{ label: 'passed', value: rate }],
        range: [0, 100],
      });
    }
    const rank = (key: string) => {
      const i = MAIN_TRENDS.indexOf(key);
      return i === -1 ? MAIN_TRENDS.length : i;
    };
    const trends = (kind: 'q' | 'n') => [...seen[kind]].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
    for (const kind of ['q', 'n'] as const) {
      for (const key of trends(kind)) {
        defs.push({
          id: `trend:${key}`,
          title: key,
          note: `p50, p95 and p99 of each interval's samples${kind === 'q' ? ' (ms)' : ''}`,
          axis: kind === 'q' ? 'ms' : 'value',
          format: kind === 'q' ? ms : num,
          series: (['p50', 'p95', 'p99'] as const).map((label, i) => ({
            label,
            value: (p) => p[kind][key]?.[i + 1] ?? null,
          })),
        });
      }
    }
    return defs.filter((d) => d.series.length > 0);
  }

  function dataOf(def: PlotDef): UPlot.AlignedData {
    return [points.map((p) => p.t), ...def.series.map((s) => points.map(s.value))];
  }

  function optionsOf(def: PlotDef, width: number): UPlot.Options {
    const range = def.range;
    return {
      width,
      height: 230,
      series: [
        { label: 'time', value: (_u, v) => (v == null ? '—' : clock(v)) },
        ...def.series.map((s, i) => ({
          label: s.label,
          stroke: COLORS[i % COLORS.length] as string,
          width: 2,
          value: (_u: UPlot, v: number | null) => (v == null ? '—' : def.format(v)),
        })),
      ],
      scales: {
        x: { time: false },
        y: { range: range === undefined ? (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] : range },
      },
      axes: [
        {
          label: 'time since start (m:ss)',
          // Whole seconds only: ticks half a second apart would both read 0:01.
          incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400],
          values: (_u, splits) => splits.map(clock),
          grid: { stroke: '#e5e7eb' },
        },
        {
          label: def.axis,
          size: 64,
          ...(def.id === 'vus'
            ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 50_000] }
            : {}),
          values: (_u, splits) =>
            splits.map((v) => (def.axis === 'ms' ? num(v) : def.format(v).replace(/\/s$| %$/, ''))),
          grid: { stroke: '#e5e7eb' },
        },
      ],
      legend: { live: true },
      // The legend shows the latest interval's values while the cursor is not over the plot.
      hooks: { ready: [showLatest], setCursor: [showLatest], setData: [showLatest] },
    };
  }

  function showLatest(u: UPlot): void {
    if (u.cursor.idx == null && points.length > 0) u.setLegend({ idx: points.length - 1 });
  }

  function rebuild(defs: PlotDef[]): void {
    for (const u of plots.values()) u.destroy();
    plots.clear();
    const grid = byId('plots');
    grid.replaceChildren();
    for (const def of defs) {
      const card = document.createElement('section');
      card.className = 'card';
      card.dataset.plot = def.id;
      const title = document.createElement('h2');
      title.textContent = def.title;
      const note = document.createElement('p');
      note.className = 'note';
      note.textContent = def.note;
      const body = document.createElement('div');
      card.append(title, note, body);
      grid.append(card);
      plots.set(def.id, new U(optionsOf(def, body.clientWidth), dataOf(def), body));
    }
  }

  function render(): void {
    pending = false;
    const defs = plotDefs();
    const next = defs.map((d) => `${d.id}:${d.series.map((s) => s.label).join(',')}`).join('|');
    if (next !== signature) {
      signature = next;
      rebuild(defs);
    } else for (const def of defs) plots.get(def.id)?.setData(dataOf(def));
    byId('waiting').hidden = points.length > 0;
    document.body.dataset.points = String(points.length);
    if (start !== undefined) {
      byId('scenario').textContent = start.scenarioFile;
      byId('started').textContent = new Date(start.startedAt).toLocaleString();
      const last = points[points.length - 1];
      byId('elapsed').textContent = `${clock(last?.t ?? 0)} of ${clock(start.scheduledEndS)}`;
    }
    if (end !== undefined && byId('summary').childElementCount === 0) {
      renderEnd(end, byId('summary'));
      setState('ended', 'test ended');
    }
  }

  function schedule(): void {
    if (pending) return;
    pending = true;
    setTimeout(render, 30);
  }

  function setState(cls: string, text: string): void {
    const state = byId('state');
    state.className = `state state-${cls}`;
    state.textContent = text;
  }

  function take(p: DashboardPoint): void {
    const last = points[points.length - 1];
    if (last === undefined || p.i > last.i) points.push(p);
  }

  window.addEventListener('resize', () => {
    for (const [id, u] of plots) {
      const body = document.querySelector(`[data-plot="${id}"] > div`) as HTMLElement;
      u.setSize({ width: body.clientWidth, height: 230 });
    }
  });

  const embedded = document.getElementById('dashboard-data');
  if (embedded !== null) {
    const data = JSON.parse(embedded.textContent ?? '{}') as DashboardData;
    start = data.start;
    end = data.end;
    for (const p of data.points) take(p);
    render();
    return;
  }
  const events = new EventSource('events');
  events.addEventListener('open', () => setState('live', 'live'));
  events.addEventListener('error', () => {
    if (end === undefined) setState('lost', 'connection lost, retrying');
  });
  events.addEventListener('start', (e) => {
    start = JSON.parse((e as MessageEvent<string>).data) as DashboardStart;
    schedule();
  });
  events.addEventListener('point', (e) => {
    take(JSON.parse((e as MessageEvent<string>).data) as DashboardPoint);
    schedule();
  });
  events.addEventListener('end', (e) => {
    end = JSON.parse((e as MessageEvent<string>).data) as DashboardEnd;
    // The generator closes its server once it exits: no reconnection attempts after the end.
    events.close();
    schedule();
  });
  schedule();
}

/**
 * What the page runs: the functions above, the first called with the second. A transpiler that
 * keeps function names (esbuild's keepNames, as vitest runs it) wraps them in calls to its
 * `__name` helper, which lives outside the functions: the stand-in gives each its name back.
 */
export const PAGE_SCRIPT = `'use strict';
const __name = (fn, name) => Object.defineProperty(fn, 'name', { value: name, configurable: true });
(${dashboardPage.toString()})(${summaryView.toString()});
`;
