import type { DashboardSnapshot, FigureReading, NodeRow, ShardRow, ZoneRow } from '../dashboard-snapshot.js';

/**
 * The dashboard page's script, written here in TypeScript so that the compiler checks it against
 * DashboardSnapshot (the page reads the fields `leviathan top` reads, and judges nothing itself:
 * every text, level and fill comes computed). It is served as the text of this one function
 * (PAGE_SCRIPT), so it must reach nothing outside its own body at run time.
 *
 * Every second it fetches `/dashboard/snapshot.json` (one request at a time, never overlapping)
 * and redraws. A 401 shows the token form; a token may also arrive as `#token=…` in the address
 * (a fragment never reaches the server or its logs) and is kept in sessionStorage, for this tab
 * only. When fetches fail the page says `unreachable` and dims the last figures it had.
 */
function dashboardPage(): void {
  const POLL_MS = 1000;
  const FETCH_TIMEOUT_MS = 3000;
  /** Successful answers with the same sample time before the page calls the data stale. */
  const STALE_AFTER = 4;
  const TOKEN_KEY = 'leviathan-dashboard-token';
  const SVG = 'http://www.w3.org/2000/svg';

  /** Which box shows which figure; the two headline figures get large sparklines. */
  const BOXES: ReadonlyArray<{ key: string; title: string; big?: string[]; ids: string[] }> = [
    {
      key: '1',
      title: 'players',
      big: ['players', 'commandsPerSecond'],
      ids: ['commandLatencyP50', 'commandLatencyP95', 'commandLatencyP99'],
    },
    {
      key: '2',
      title: 'ticks',
      ids: ['tickLoad', 'tickOverrunsPerSecond', 'lastTickAge', 'eventLoopLag', 'shardsUp', 'enginesUp'],
    },
    {
      key: '3',
      title: 'memory & network',
      ids: ['memoryPerPlayer', 'residentMemory', 'bytesInPerSecond', 'bytesOutPerSecond', 'droppedPerSecond'],
    },
    {
      key: '4',
      title: 'store',
      ids: [
        'writeBehindBacklog',
        'dbQueryP99',
        'dbErrorsPerSecond',
        'pgConnections',
        'pgTransactionsPerSecond',
        'pgLocks',
        'pgCacheHitRatio',
      ],
    },
    {
      key: '5',
      title: 'host',
      ids: ['hostCpu', 'hostMemory', 'hostDisk', 'hostNetworkIn', 'hostNetworkOut'],
    },
  ];

  const byId = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;
  const boxes = byId('boxes');
  const state = byId('state');
  const notice = byId('notice');
  const form = byId('token-form') as HTMLFormElement;
  const tokenInput = byId('token-input') as HTMLInputElement;
  const tokenError = byId('token-error');

  let lastAt = -1;
  let sameAt = 0;
  let lastGood: DashboardSnapshot | undefined;

  function element<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    className?: string,
    text?: string,
  ): HTMLElementTagNameMap[K] {
    const e = document.createElement(tag);
    if (className !== undefined) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function box(key: string, title: string, wide = false): HTMLFieldSetElement {
    const f = element('fieldset', wide ? 'box wide' : 'box');
    const legend = element('legend');
    legend.append(element('span', 'key', key), ` ${title}`);
    f.append(legend);
    return f;
  }

  /** An SVG sparkline of `history` (oldest first; a null breaks the line), 0 at the bottom. */
  function sparkline(history: readonly (number | null)[], level: string): SVGSVGElement {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', `spark lvl-${level}`);
    svg.setAttribute('viewBox', '0 0 100 20');
    svg.setAttribute('preserveAspectRatio', 'none');
    let top = 0;
    for (const v of history) if (v !== null && v > top) top = v;
    if (top === 0) top = 1;
    const n = history.length;
    let run: string[] = [];
    const flush = (): void => {
      if (run.length > 1) {
        const line = document.createElementNS(SVG, 'polyline');
        line.setAttribute('points', run.join(' '));
        const area = document.createElementNS(SVG, 'polygon');
        const first = run[0]!.split(',')[0];
        const last = run[run.length - 1]!.split(',')[0];
        area.setAttribute('points', `${first},20 ${run.join(' ')} ${last},20`);
        svg.append(area, line);
      }
      run = [];
    };
    history.forEach((v, i) => {
      if (v === null) {
        flush();
        return;
      }
      const x = n > 1 ? (i / (n - 1)) * 100 : 100;
      const y = 19 - (Math.max(0, v) / top) * 18;
      run.push(`${x.toFixed(1)},${y.toFixed(1)}`);
    });
    flush();
    return svg;
  }

  function meterRow(f: FigureReading): HTMLElement {
    const row = element('div', `row lvl-${f.level}`);
    row.dataset.figure = f.id;
    row.title = f.title;
    const bar = element('span', 'bar');
    if (f.fill !== null) {
      const fill = element('span', 'fill');
      fill.style.width = `${Math.round(Math.min(1, Math.max(0, f.fill)) * 100)}%`;
      bar.append(fill);
    } else {
      bar.classList.add('no-meter');
    }
    row.append(element('span', 'name', f.title), bar, element('span', 'value', f.text));
    row.append(sparkline(f.history, f.level));
    return row;
  }

  function bigFigure(f: FigureReading): HTMLElement {
    const d = element('div', `figure lvl-${f.level}`);
    d.dataset.figure = f.id;
    const head = element('div', 'head');
    head.append(element('span', 'name', f.title), element('span', 'value', f.text));
    d.append(head, sparkline(f.history, f.level));
    return d;
  }

  function gridBox(nodes: readonly NodeRow[], shards: readonly ShardRow[]): HTMLElement {
    const f = box('6', 'grid');
    if (nodes.length === 0 && shards.length === 0) f.append(element('div', 'empty', 'no nodes reported'));
    const nodeCells = element('div', 'cells');
    for (const n of nodes) {
      const c = element('div', `cell lvl-${n.level}`);
      c.dataset.node = n.node;
      c.append(element('div', 'id', `${n.up ? '●' : '○'} ${n.node}`));
      c.append(element('div', 'sub', n.up ? `${n.text.players} players · p99 ${n.text.latencyP99}` : 'DOWN'));
      nodeCells.append(c);
    }
    const shardCells = element('div', 'cells');
    for (const s of shards) {
      const c = element('div', `cell lvl-${s.level}`);
      c.dataset.shard = s.shard;
      c.append(element('div', 'id', `${s.up === false ? '○' : '●'} shard ${s.shard}`));
      c.append(
        element('div', 'sub', s.up === false ? 'DOWN' : `${s.text.players} pl · load ${s.text.tickLoad}`),
      );
      shardCells.append(c);
    }
    f.append(nodeCells, shardCells);
    return f;
  }

  function zonesBox(zones: readonly ZoneRow[]): HTMLElement {
    const f = box('7', 'busiest zones');
    if (zones.length === 0) {
      f.append(element('div', 'empty', 'no players in any zone'));
      return f;
    }
    const table = element('table');
    const head = element('tr');
    head.append(element('th', undefined, 'zone'), element('th', undefined, 'shard'));
    head.append(element('th', 'num', 'players'), element('th'));
    table.append(head);
    const most = Math.max(1, ...zones.map((z) => z.players));
    for (const z of zones.slice(0, 10)) {
      const tr = element('tr');
      const meter = element('td', 'meter');
      const bar = element('div', 'bar lvl-ok');
      const fill = element('div', 'fill');
      fill.style.width = `${Math.round((z.players / most) * 100)}%`;
      bar.append(fill);
      meter.append(bar);
      tr.append(element('td', undefined, z.zone), element('td', undefined, z.shard));
      tr.append(element('td', 'num', String(z.players)), meter);
      table.append(tr);
    }
    f.append(table);
    return f;
  }

  function render(s: DashboardSnapshot): void {
    byId('target').textContent = `${s.source.kind} ${s.source.target}`;
    byId('tick').textContent = s.tickPeriodText;
    byId('updated').textContent = new Date(s.at).toLocaleTimeString('en-GB');
    const figures = new Map(s.figures.map((f) => [f.id as string, f]));
    const out: HTMLElement[] = [];
    for (const b of BOXES) {
      const big = (b.big ?? []).map((id) => figures.get(id)).filter((f) => f !== undefined);
      const rows = b.ids.map((id) => figures.get(id)).filter((f) => f !== undefined);
      if (big.length === 0 && rows.length === 0) continue;
      const f = box(b.key, b.title);
      if (big.length > 0) {
        const wrap = element('div', 'big');
        for (const g of big) wrap.append(bigFigure(g));
        f.append(wrap);
      }
      for (const r of rows) f.append(meterRow(r));
      out.push(f);
    }
    out.push(gridBox(s.nodes, s.shards), zonesBox(s.zones));
    boxes.replaceChildren(...out);
  }

  function setState(kind: 'live' | 'stale' | 'down' | 'denied' | 'wait', text: string): void {
    state.className = `state state-${kind}`;
    state.textContent = text;
    document.body.classList.toggle('stale', kind === 'stale');
    document.body.classList.toggle('down', kind === 'down');
  }

  function say(message: string | undefined): void {
    notice.hidden = message === undefined;
    notice.textContent = message ?? '';
  }

  function token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function askForToken(refused: boolean): void {
    form.hidden = false;
    tokenError.textContent = refused ? 'that token was refused' : '';
    setState('denied', 'token needed');
    if (document.activeElement !== tokenInput) tokenInput.focus();
  }

  async function poll(): Promise<void> {
    const headers: Record<string, string> = {};
    const t = token();
    if (t !== null) headers.authorization = `Bearer ${t}`;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS);
    try {
      const res = await fetch('/dashboard/snapshot.json', {
        headers,
        cache: 'no-store',
        signal: abort.signal,
      });
      if (res.status === 401) {
        askForToken(t !== null);
        return;
      }
      if (res.status === 403) {
        setState('denied', 'refused');
        say((await res.text()) || 'this dashboard answers this machine only');
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const s = (await res.json()) as DashboardSnapshot;
      form.hidden = true;
      sameAt = s.at === lastAt ? sameAt + 1 : 0;
      lastAt = s.at;
      lastGood = s;
      render(s);
      if (!s.reachable) {
        setState('down', 'no data');
        say(`the engine could not sample its metrics: ${s.error ?? 'unknown error'}`);
      } else if (sameAt >= STALE_AFTER) {
        setState('stale', 'stale');
        say(`no new sample since ${new Date(s.at).toLocaleTimeString('en-GB')}`);
      } else {
        setState('live', 'live');
        say(undefined);
      }
    } catch (err) {
      const why = abort.signal.aborted
        ? 'no answer in 3 s'
        : err instanceof Error
          ? err.message
          : String(err);
      setState('down', 'unreachable');
      const since =
        lastGood === undefined ? '' : `; last data from ${new Date(lastGood.at).toLocaleTimeString('en-GB')}`;
      say(`engine unreachable (${why})${since}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async function loop(): Promise<void> {
    await poll();
    setTimeout(() => void loop(), POLL_MS);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = tokenInput.value.trim();
    if (value === '') return;
    sessionStorage.setItem(TOKEN_KEY, value);
    tokenInput.value = '';
    void poll();
  });

  // A token in the fragment (`/dashboard#token=…`): kept for this tab, then removed from the address.
  const fragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fragment !== null && fragment !== '') {
    sessionStorage.setItem(TOKEN_KEY, fragment);
    history.replaceState(null, '', location.pathname + location.search);
  }
  void loop();
}

/**
 * What `/dashboard/page.js` serves: the function above, called at once. A transpiler that keeps
 * function names (esbuild's keepNames, as vitest runs it) wraps them in calls to its `__name`
 * helper, which lives outside the function: the stand-in gives each function its name back.
 */
export const PAGE_SCRIPT = `'use strict';
const __name = (fn, name) => Object.defineProperty(fn, 'name', { value: name, configurable: true });
(${dashboardPage.toString()})();
`;
