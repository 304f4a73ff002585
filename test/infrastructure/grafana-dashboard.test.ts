/**
 * The Grafana board and the alert rules against packages/engine/src/metrics/figures.ts: the
 * committed board is exactly what scripts/build-grafana-dashboard.ts builds (nobody edits it by
 * hand), its meters are judged by the figures' thresholds, and every alert a figure names fires
 * at that figure's `crit`, so a red meter and a page to the on-call mean the same thing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FIGURES, type Figure } from '../../packages/engine/src/metrics/figures.js';
import { buildDashboard, DASHBOARD_PATH } from '../../scripts/grafana/dashboard.js';
import { grafanaThresholds, withInstanceFilter } from '../../scripts/grafana/figure-panels.js';
import {
  documentedRows,
  figureRows,
  OPERATIONS_DOC_PATH,
  TABLE_HEADER,
} from '../../scripts/grafana/figures-table.js';
import { MONITORING_DIR, REPO_ROOT } from './repo-paths.js';

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
  fieldConfig?: { defaults: { unit?: string; noValue?: string; thresholds?: { steps: unknown[] } } };
}
interface AlertRule {
  alert?: string;
  expr: string;
}

const committed = JSON.parse(readFileSync(join(REPO_ROOT, DASHBOARD_PATH), 'utf8')) as { panels: Panel[] };
const figures = Object.values(FIGURES) as Figure[];

const RULES_DIR = join(MONITORING_DIR, 'prometheus/rules');
const alertRules = new Map<string, AlertRule>(
  readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .flatMap(
      (f) =>
        (parse(readFileSync(join(RULES_DIR, f), 'utf8')) as { groups: Array<{ rules: AlertRule[] }> }).groups,
    )
    .flatMap((g) => g.rules)
    .filter((r) => r.alert !== undefined)
    .map((r) => [r.alert ?? '', r]),
);

/** An alert expression's final comparison: `x > 0.25` → { op: '>', value: 0.25 }. */
function finalComparison(expr: string): { op: string; value: number } | undefined {
  const m = /(==|!=|>=|<=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)\s*$/i.exec(expr.trim());
  return m ? { op: m[1] ?? '', value: Number(m[2]) } : undefined;
}

describe('the Grafana board (monitoring/grafana/dashboards/leviathan-engine.json)', () => {
  it('is exactly what scripts/build-grafana-dashboard.ts builds', () => {
    expect(
      committed,
      `${DASHBOARD_PATH} differs from its generator: run pnpm exec tsx scripts/build-grafana-dashboard.ts`,
    ).toStrictEqual(JSON.parse(JSON.stringify(buildDashboard())));
  });

  it("shows every figure, with the figure's query and thresholds", () => {
    for (const figure of figures) {
      const expr = figure.source === 'engine' ? withInstanceFilter(figure.promql) : figure.promql;
      const shown = committed.panels.find((p) => p.targets?.some((t) => t.expr === expr));
      expect(shown, `no panel runs ${figure.id}'s query ${expr}`).toBeDefined();
      expect(shown?.fieldConfig?.defaults.thresholds?.steps, figure.id).toEqual(grafanaThresholds(figure));
    }
  });

  it('shows missing data as missing: no `or vector(0)`, a dash where a query returns nothing', () => {
    for (const p of committed.panels.filter((p) => p.type !== 'row')) {
      for (const t of p.targets ?? []) expect(t.expr, p.title).not.toMatch(/\bvector\(/);
      expect(p.fieldConfig?.defaults.noValue, p.title).toBe('—');
    }
  });

  it('has the grid of engine nodes and of shards, read as UP and DOWN', () => {
    const grid = committed.panels.filter((p) =>
      p.targets?.some((t) => /up\{job="leviathan-engine"|leviathan_shard_up/.test(t.expr)),
    );
    expect(grid.map((p) => p.type)).toEqual(
      expect.arrayContaining(['stat', 'state-timeline', 'status-history']),
    );
  });
});

describe('thresholds (figures.ts) against the alert rules (monitoring/prometheus/rules)', () => {
  const alerting = figures.filter((f) => f.alert !== undefined);

  it('names some alerts', () => {
    expect(alerting.length).toBeGreaterThan(4);
  });

  it.each(alerting.map((f) => [f.id, f] as const))(
    "figure %s: its alert fires exactly at the figure's crit, in the figure's direction",
    (_id, figure) => {
      const rule = alertRules.get(figure.alert ?? '');
      expect(rule, `figures.ts names alert ${figure.alert}, which no rule file defines`).toBeDefined();
      const comparison = finalComparison(rule?.expr ?? '');
      expect(
        comparison,
        `${figure.alert}: "${rule?.expr}" does not end in a comparison to a number`,
      ).toBeDefined();
      const expected = figure.thresholds?.direction === 'below' ? '<' : '>';
      expect(
        `${comparison?.op} ${comparison?.value}`,
        `${figure.alert} fires at "${rule?.expr}", but ${figure.id} turns red ${expected} ${figure.thresholds?.crit} (figures.ts thresholds.crit)`,
      ).toBe(`${expected} ${figure.thresholds?.crit}`);
    },
  );
});

describe('the table of figures in docs/operations.md', () => {
  it('is every figure of figures.ts, as scripts/build-grafana-dashboard.ts writes it', () => {
    const rows = documentedRows(readFileSync(join(REPO_ROOT, OPERATIONS_DOC_PATH), 'utf8'));
    expect(rows[0], `${OPERATIONS_DOC_PATH} has no generated figures table`).toEqual([...TABLE_HEADER]);
    expect(
      rows.slice(2),
      `the figures table of ${OPERATIONS_DOC_PATH} is stale: run pnpm exec tsx scripts/build-grafana-dashboard.ts`,
    ).toEqual(figureRows());
  });
});

describe('the generator', () => {
  it('narrows engine selectors to the picked engines, leaving label lists, functions and other jobs alone', () => {
    expect(withInstanceFilter('sum(rate(leviathan_x_total[1m])) / max(leviathan:y:p99{shard="1"})')).toBe(
      'sum(rate(leviathan_x_total{instance=~"$instance"}[1m])) / max(leviathan:y:p99{shard="1", instance=~"$instance"})',
    );
    expect(withInstanceFilter('avg(up{job="leviathan-engine"}) + up{job="node"}')).toBe(
      'avg(up{job="leviathan-engine", instance=~"$instance"}) + up{job="node"}',
    );
    expect(withInstanceFilter('max by (instance, shard) (leviathan_shard_up)')).toBe(
      'max by (instance, shard) (leviathan_shard_up{instance=~"$instance"})',
    );
  });

  it('turns thresholds into Grafana steps: strictly past a zero, reversed where lower is worse', () => {
    expect(grafanaThresholds(FIGURES.commandLatencyP99)).toEqual([
      { color: 'green', value: null },
      { color: 'yellow', value: 0.15 },
      { color: 'red', value: 0.25 },
    ]);
    // Any database error is red, but a quiet 0 is green.
    expect(grafanaThresholds(FIGURES.dbErrorsPerSecond)).toEqual([
      { color: 'green', value: null },
      { color: 'red', value: 1e-9 },
    ]);
    expect(grafanaThresholds(FIGURES.pgCacheHitRatio)).toEqual([
      { color: 'red', value: null },
      { color: 'yellow', value: 0.9 },
      { color: 'green', value: 0.95 },
    ]);
    expect(grafanaThresholds(FIGURES.shardsUp)).toEqual([
      { color: 'red', value: null },
      { color: 'green', value: 1 },
    ]);
    expect(grafanaThresholds(FIGURES.players)).toEqual([{ color: 'green', value: null }]);
  });
});
