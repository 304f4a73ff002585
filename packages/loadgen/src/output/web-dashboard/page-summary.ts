import type { DashboardEnd, DashboardMetricRow } from './dashboard-data.js';

/**
 * The end-of-test part of the page (see page-script.ts: served as its text, so it reaches
 * nothing outside its body): the outcome, thresholds, checks, the metrics table and the errors.
 * Every number cell carries its exact value in `data-v` (the text is rounded for people) and its
 * statistic in `data-stat`, so the table can be checked against the summary JSON.
 */
export function summaryView(end: DashboardEnd, into: HTMLElement): void {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls !== undefined) e.className = cls;
    return e;
  };
  const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 3 : 1));
  const ms = (v: number) =>
    v < 1 ? `${(v * 1000).toFixed(0)} µs` : v < 1000 ? `${v.toFixed(2)} ms` : `${(v / 1000).toFixed(2)} s`;
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;

  function table(title: string, head: string[], rows: HTMLTableRowElement[]): void {
    if (rows.length === 0) return;
    const section = el('section', undefined, 'card wide');
    section.append(el('h2', title));
    const t = el('table');
    const tr = el('tr');
    // A heading `#name` heads a column of numbers: right-aligned, as they are.
    for (const h of head) tr.append(h.startsWith('#') ? el('th', h.slice(1), 'n') : el('th', h));
    t.append(el('thead'), el('tbody'));
    t.tHead?.append(tr);
    t.tBodies[0]?.append(...rows);
    section.append(t);
    into.append(section);
  }
  function row(cells: Array<string | HTMLElement>, attrs: Record<string, string> = {}): HTMLTableRowElement {
    const tr = el('tr');
    for (const [k, v] of Object.entries(attrs)) tr.dataset[k] = v;
    for (const c of cells) tr.append(typeof c === 'string' ? el('td', c) : c);
    return tr;
  }
  function value(stat: string, v: number | undefined, format: (v: number) => string): HTMLElement {
    const td = el('td', v === undefined ? '' : format(v), 'n');
    if (v !== undefined) {
      td.dataset.stat = stat;
      td.dataset.v = String(v);
    }
    return td;
  }
  const mark = (ok: boolean) => el('td', ok ? '✓' : '✗', ok ? 'ok' : 'fail');

  const failed = end.thresholds.filter((t) => !t.ok).length;
  const outcome = el('p', undefined, `outcome ${failed > 0 || end.aborted !== undefined ? 'fail' : 'ok'}`);
  outcome.id = 'outcome';
  const thresholds =
    end.thresholds.length === 0
      ? 'no thresholds'
      : failed === 0
        ? `all ${end.thresholds.length} thresholds passed`
        : `${failed} of ${end.thresholds.length} thresholds failed`;
  outcome.textContent = `Test ended after ${(end.durationMs / 1000).toFixed(1)} s: ${thresholds}${end.aborted === undefined ? '' : ` (aborted: ${end.aborted})`}.`;
  into.append(outcome);

  table(
    'Thresholds',
    ['', 'metric', 'threshold', '#actual'],
    end.thresholds.map((t) =>
      row([mark(t.ok), t.metric, t.expression, value('actual', t.actual, num)], {
        metric: t.metric,
        ok: String(t.ok),
      }),
    ),
  );
  table(
    'Checks',
    ['', 'check', '#passed', '#failed', '#pass rate'],
    end.checks.map((c) =>
      row(
        [
          mark(c.fails === 0),
          c.name,
          value('passes', c.passes, num),
          value('fails', c.fails, num),
          value('rate', c.passes / (c.passes + c.fails), pct),
        ],
        { check: c.name },
      ),
    ),
  );

  const stats = ['count', 'rate', 'avg', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'max'] as const;
  function cells(m: DashboardMetricRow): HTMLElement[] {
    const out: Partial<Record<(typeof stats)[number], HTMLElement>> = {};
    if (m.type === 'trend') {
      const f = m.time ? ms : num;
      const v = m.values;
      out.count = value('count', v.count, num);
      out.avg = value('avg', v.avg, f);
      out['p(50)'] = value('med', v.med, f);
      out['p(90)'] = value('p(90)', v['p(90)'], f);
      out['p(95)'] = value('p(95)', v['p(95)'], f);
      out['p(99)'] = value('p(99)', v['p(99)'], f);
      out.max = value('max', v.max, f);
    } else if (m.type === 'counter') {
      out.count = value('count', m.values.count, num);
      out.rate = value('rate', m.values.rate, (v) => `${v.toFixed(2)}/s`);
    } else if (m.type === 'rate') {
      out.count = value('passes', m.values.passes, (v) => `${v} of ${m.values.passes + m.values.fails}`);
      out.rate = value('rate', m.values.rate, pct);
    } else {
      out.rate = value('value', m.values.value, num);
      out.max = value('max', m.values.max, num);
    }
    return stats.map((s) => out[s] ?? el('td'));
  }
  table(
    'Metrics',
    ['metric', '#count', '#rate / value', '#avg', '#p50', '#p90', '#p95', '#p99', '#max'],
    end.metrics.map((m) => row([el('td', m.key, 'key'), ...cells(m)], { metric: m.key })),
  );
  table(
    'Iteration errors',
    ['#count', 'error'],
    end.errors.map(([message, n]) => row([value('count', n, num), message])),
  );
  table(
    'Warnings',
    ['warning'],
    end.warnings.map((w) => row([w])),
  );
}
