/**
 * Panels for the figures of packages/engine/src/metrics/figures.ts: the same PromQL, unit and
 * thresholds as `leviathan top`, the engine's /dashboard page and the alert rules, so a yellow or
 * red meter on the board means what it means everywhere else.
 */
import {
  FIGURES,
  type Figure,
  type FigureId,
  type FigureUnit,
} from '../../packages/engine/src/metrics/figures.js';
import { type PanelJson, type PanelSpec, panel, type ThresholdStep } from './panels.js';

const GRAFANA_UNITS: Readonly<Record<FigureUnit, string>> = {
  count: 'short',
  perSecond: 'ops',
  seconds: 's',
  bytes: 'bytes',
  bytesPerSecond: 'Bps',
  ratio: 'percentunit',
};

/** Grafana's unit for a figure: commands per second read as requests per second. */
export function grafanaUnit(figure: Figure): string {
  return figure.id === 'commandsPerSecond' ? 'reqps' : GRAFANA_UNITS[figure.unit];
}

/**
 * A Grafana step colours values at or past it; a figure turns yellow or red strictly past its
 * threshold (as the alert's `>` compares). The two differ only at the threshold itself, which
 * matters where it is 0 ("any database error"): there the step sits just above 0, so a quiet 0
 * stays green.
 */
const strictlyPast = (value: number): number => (value === 0 ? 1e-9 : value);

/** Green, yellow past `warn`, red past `crit`; for a `below` figure, red under `crit`, yellow under `warn`. */
export function grafanaThresholds(figure: Figure): ThresholdStep[] {
  const t = figure.thresholds;
  if (t === undefined) return [{ color: 'green', value: null }];
  if (t.direction === 'below') {
    const steps: ThresholdStep[] = [{ color: 'red', value: null }];
    if (t.warn > t.crit) steps.push({ color: 'yellow', value: t.crit });
    steps.push({ color: 'green', value: t.warn });
    return steps;
  }
  const steps: ThresholdStep[] = [{ color: 'green', value: null }];
  if (t.crit > t.warn) steps.push({ color: 'yellow', value: strictlyPast(t.warn) });
  steps.push({ color: 'red', value: strictlyPast(t.crit) });
  return steps;
}

/**
 * Narrows an engine query to the engines picked in the `instance` variable: every engine metric
 * or recording rule selector (`leviathan_…`, `leviathan:…`) and the engines' `up` gain
 * `instance=~"$instance"`. Host and Postgres queries are left alone: their instances are hosts
 * and exporters, not engines.
 */
export function withInstanceFilter(expr: string): string {
  const matcher = 'instance=~"$instance"';
  return expr
    .replace(/\bup\{job="leviathan-engine"\}/g, `up{job="leviathan-engine", ${matcher}}`)
    .replace(
      /\b(leviathan[_:][A-Za-z0-9_:]*)(\{([^}]*)\})?(?![A-Za-z0-9_:(])/g,
      (_m, name: string, _b, labels?: string) =>
        labels === undefined || labels.trim() === ''
          ? `${name}{${matcher}}`
          : `${name}{${labels}, ${matcher}}`,
    );
}

/** The figure's fleet query, narrowed to the picked engines where it reads an engine. */
export function figureQuery(figure: Figure, byInstance = false): string {
  const expr = byInstance ? (figure.promqlByInstance ?? figure.promql) : figure.promql;
  return figure.source === 'engine' ? withInstanceFilter(expr) : expr;
}

/** The title, with what crosses into red where an alert fires there. */
function describe(figure: Figure): string {
  return figure.alert === undefined
    ? figure.description
    : `${figure.description} Red: ${figure.alert} fires.`;
}

type Layout = Pick<PanelSpec, 'w' | 'h'>;

/** A figure's headline panel: a gauge to its full scale where it has one, else a number over a sparkline. */
export function figurePanel(id: FigureId, layout: Layout): PanelJson {
  const figure = FIGURES[id];
  const meter = figure.meterMax !== undefined;
  return panel({
    kind: meter ? 'gauge' : 'stat',
    title: figure.title,
    description: describe(figure),
    queries: [{ expr: figureQuery(figure) }],
    unit: grafanaUnit(figure),
    ...(meter ? { min: 0, max: figure.meterMax } : {}),
    thresholds: grafanaThresholds(figure),
    ...layout,
  });
}

/**
 * A figure per engine node or host (or per shard), as LCD bars: its `promqlByInstance`, one bar
 * per series named by `legend`.
 */
export function figureBars(id: FigureId, title: string, legend: string, layout: Layout): PanelJson {
  const figure = FIGURES[id];
  return panel({
    kind: 'bargauge',
    title,
    description: describe(figure),
    queries: [{ expr: figureQuery(figure, true), legend, instant: true }],
    unit: grafanaUnit(figure),
    min: 0,
    ...(figure.meterMax === undefined ? {} : { max: figure.meterMax }),
    thresholds: grafanaThresholds(figure),
    ...layout,
  });
}
