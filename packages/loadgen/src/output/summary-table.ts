import { parseSeriesKey } from '../metrics/series-key.js';
import type { BaselineCheck } from '../summary/baseline.js';
import type { Summary, SummaryMetric } from '../summary/summary.js';
import { formatMs, formatNumber, formatPercent } from './format.js';

const WIDTH = 34;

/** The end-of-test summary table (k6's layout: one metric a line, thresholds marked ✓/✗). */
export function renderSummaryTable(summary: Summary, baseline: readonly BaselineCheck[] = []): string {
  const lines: string[] = [];
  const failedMetrics = new Set(summary.thresholds.filter((t) => !t.ok).map((t) => t.metric));
  const thresholdMetrics = new Set(summary.thresholds.map((t) => t.metric));
  lines.push('');
  lines.push(`  scenario: ${summary.scenarioFile}`);
  lines.push(
    `  duration: ${formatMs(summary.durationMs)}, ${summary.workers} worker${summary.workers === 1 ? '' : 's'}${summary.segments.length > 1 ? `, ${summary.segments.length} segments merged` : ''}`,
  );
  if (summary.aborted !== undefined) lines.push(`  ABORTED: ${summary.aborted}`);
  lines.push('');
  for (const key of Object.keys(summary.metrics).sort()) {
    // One line per metric, and the tagged series a threshold names; every tag set is in the
    // summary JSON, NDJSON and handleSummary's data, where a table of them would be unreadable.
    if (key.includes('{') && !thresholdMetrics.has(key)) continue;
    const m = summary.metrics[key] as SummaryMetric;
    const mark = thresholdMetrics.has(key) ? (failedMetrics.has(key) ? '✗ ' : '✓ ') : '  ';
    lines.push(`  ${mark}${key.padEnd(WIDTH, '.')}: ${describe(m)}`);
  }
  const checks = Object.keys(summary.metrics).filter((k) => k.startsWith('checks{check:'));
  if (checks.length > 0) {
    lines.push('');
    lines.push('  CHECKS');
    for (const key of checks.sort()) {
      const m = summary.metrics[key] as SummaryMetric;
      if (m.type !== 'rate') continue;
      const name = key.slice('checks{check:'.length, -1);
      lines.push(
        `    ${m.values.fails === 0 ? '✓' : '✗'} ${name}: ${m.values.passes} passed, ${m.values.fails} failed`,
      );
    }
  }
  const groups = groupLines(summary);
  if (groups.length > 0) {
    lines.push('');
    lines.push('  GROUPS');
    lines.push(...groups);
  }
  if (summary.thresholds.length > 0) {
    lines.push('');
    lines.push('  THRESHOLDS');
    for (const t of summary.thresholds) {
      const actual = t.actual === undefined ? (t.reason ?? 'no value') : formatNumber(t.actual);
      lines.push(`    ${t.ok ? '✓' : '✗'} ${t.metric} ${t.expression}  (actual ${actual})`);
    }
  }
  if (baseline.length > 0) {
    lines.push('');
    lines.push('  BASELINE');
    for (const b of baseline) {
      lines.push(
        `    ${b.ok ? '✓' : '✗'} ${b.metric} ${b.stat}: ${formatNumber(b.current)} (baseline ${formatNumber(b.baseline)}, limit ${formatNumber(b.limit)})`,
      );
    }
  }
  const errorKinds = Object.entries(summary.errors).sort((a, b) => b[1] - a[1]);
  if (errorKinds.length > 0) {
    lines.push('');
    lines.push('  ITERATION ERRORS');
    for (const [msg, n] of errorKinds.slice(0, 10)) lines.push(`    ${n} × ${msg}`);
  }
  if (summary.warnings.length > 0) {
    lines.push('');
    lines.push('  WARNINGS');
    for (const w of summary.warnings) lines.push(`    ! ${w}`);
  }
  lines.push(
    `\n  generator: worst event-loop lag p99 ${formatMs(summary.generatorLagP99Ms)}, peak CPU ${formatPercent(summary.generatorCpuShare)} of all cores`,
  );
  lines.push('');
  return lines.join('\n');
}

function describe(m: SummaryMetric): string {
  switch (m.type) {
    case 'trend': {
      const f = m.time ? formatMs : formatNumber;
      const v = m.values;
      return `avg=${f(v.avg)} min=${f(v.min)} med=${f(v.med)} max=${f(v.max)} p(90)=${f(v['p(90)'])} p(95)=${f(v['p(95)'])} p(99)=${f(v['p(99)'])} count=${v.count}`;
    }
    case 'counter':
      return `${m.values.count} ${m.values.rate.toFixed(2)}/s`;
    case 'rate':
      return `${formatPercent(m.values.rate)} ✓ ${m.values.passes} ✗ ${m.values.fails}`;
    case 'gauge':
      return `${formatNumber(m.values.value)} min=${formatNumber(m.values.min)} max=${formatNumber(m.values.max)}`;
  }
}

/** One line per group_duration series: the group's path, its other tags, its times. */
function groupLines(summary: Summary): string[] {
  const out: string[] = [];
  for (const key of Object.keys(summary.metrics).sort()) {
    if (!key.startsWith('group_duration{')) continue;
    const parsed = parseSeriesKey(key);
    const m = summary.metrics[key] as SummaryMetric;
    if (parsed?.tags.group === undefined || m.type !== 'trend') continue;
    const { group, ...rest } = parsed.tags;
    const others = Object.entries(rest)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    out.push(`    ${group}${others === '' ? '' : ` (${others})`}: ${describe(m)}`);
  }
  return out;
}
