/**
 * Grafana panel JSON, built from a few plain descriptions: the panel kinds the Leviathan board
 * uses (stat, gauge, bar gauge, state timeline, status history, time series, row) with the
 * options that make them read like btop: meters filled to a full scale, LCD bar gauges, colours
 * from thresholds, and missing data shown as missing ("—"), never as a zero.
 */

/** Every panel and query names the data source through the dashboard's `datasource` variable. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana, not JavaScript, fills in ${datasource}.
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** What a panel shows where a query returns nothing: a dash, as `leviathan top` writes it. */
export const NO_VALUE = '—';

export interface Query {
  readonly expr: string;
  readonly legend?: string;
  /** One value per series (the grid, bar gauges): an instant query. */
  readonly instant?: boolean;
}

export interface ThresholdStep {
  readonly color: string;
  readonly value: number | null;
}

/** A value mapping, for up/down series: `0` reads DOWN in red, `1` UP in green. */
export type ValueMappings = Readonly<Record<string, { text: string; color: string }>>;

export interface PanelSpec {
  readonly kind: 'stat' | 'gauge' | 'bargauge' | 'state-timeline' | 'status-history' | 'timeseries';
  readonly title: string;
  readonly description?: string;
  readonly queries: readonly Query[];
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  readonly thresholds?: readonly ThresholdStep[];
  readonly mappings?: ValueMappings;
  /** Grid width (of 24) and height, in Grafana's grid units. */
  readonly w: number;
  readonly h: number;
  /** stat: fill the panel with the level's colour (the grid) instead of colouring the number. */
  readonly background?: boolean;
  /** timeseries: stack the series (players per shard). */
  readonly stacked?: boolean;
}

/** A panel as Grafana stores it; the layout sets its id and its place (x, y) on the grid. */
export type PanelJson = Record<string, unknown> & { gridPos: { x: number; y: number; w: number; h: number } };

const GREEN_ONLY: readonly ThresholdStep[] = [{ color: 'green', value: null }];

/** The last value of the range, not the last non-null one: a series that stopped reads as missing. */
const LAST = { calcs: ['last'], fields: '', values: false };

function targets(queries: readonly Query[]): Record<string, unknown>[] {
  return queries.map((q, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource: DATASOURCE,
    expr: q.expr,
    ...(q.legend === undefined ? {} : { legendFormat: q.legend }),
    ...(q.instant ? { instant: true, range: false } : {}),
  }));
}

function mappingsJson(mappings: ValueMappings | undefined): unknown[] {
  if (mappings === undefined) return [];
  const options = Object.fromEntries(
    Object.entries(mappings).map(([value, m], index) => [value, { ...m, index }]),
  );
  return [{ type: 'value', options }];
}

function options(spec: PanelSpec): Record<string, unknown> {
  switch (spec.kind) {
    case 'stat':
      return {
        reduceOptions: LAST,
        colorMode: spec.background ? 'background' : 'value',
        graphMode: spec.queries.some((q) => q.instant) ? 'none' : 'area',
        textMode: 'auto',
        justifyMode: 'center',
        orientation: 'auto',
      };
    case 'gauge':
      return { reduceOptions: LAST, showThresholdMarkers: true, showThresholdLabels: false };
    case 'bargauge':
      return {
        reduceOptions: LAST,
        displayMode: 'lcd',
        orientation: 'horizontal',
        showUnfilled: true,
        valueMode: 'color',
        namePlacement: 'left',
      };
    case 'state-timeline':
      return {
        mergeValues: true,
        showValue: 'auto',
        alignValue: 'center',
        rowHeight: 0.9,
        legend: { showLegend: false },
      };
    case 'status-history':
      return { showValue: 'auto', rowHeight: 0.9, colWidth: 0.9, legend: { showLegend: false } };
    case 'timeseries':
      return {
        legend: { showLegend: true, displayMode: 'list', placement: 'bottom' },
        tooltip: { mode: 'multi' },
      };
  }
}

function custom(spec: PanelSpec): Record<string, unknown> | undefined {
  if (spec.kind === 'timeseries') {
    return {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: spec.stacked ? 30 : 10,
      showPoints: 'never',
      // A gap where a series has no samples: missing data is not drawn as a line to zero.
      spanNulls: false,
      stacking: { mode: spec.stacked ? 'normal' : 'none' },
    };
  }
  if (spec.kind === 'state-timeline' || spec.kind === 'status-history')
    return { fillOpacity: 80, lineWidth: 0 };
  return undefined;
}

/** The panel's JSON (no id, no position yet). */
export function panel(spec: PanelSpec): PanelJson {
  const c = custom(spec);
  return {
    type: spec.kind,
    title: spec.title,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    datasource: DATASOURCE,
    gridPos: { x: 0, y: 0, w: spec.w, h: spec.h },
    targets: targets(spec.queries),
    options: options(spec),
    fieldConfig: {
      defaults: {
        unit: spec.unit ?? 'short',
        ...(spec.min === undefined ? {} : { min: spec.min }),
        ...(spec.max === undefined ? {} : { max: spec.max }),
        noValue: NO_VALUE,
        color: { mode: spec.kind === 'timeseries' ? 'palette-classic' : 'thresholds' },
        thresholds: { mode: 'absolute', steps: spec.thresholds ?? GREEN_ONLY },
        mappings: mappingsJson(spec.mappings),
        ...(c === undefined ? {} : { custom: c }),
      },
      overrides: [],
    },
  };
}

/** The up/down mapping of the grid: 1 is UP (green), 0 is DOWN (red), and red below 1. */
export const UP_DOWN = {
  mappings: { '0': { text: 'DOWN', color: 'red' }, '1': { text: 'UP', color: 'green' } },
  thresholds: [
    { color: 'red', value: null },
    { color: 'green', value: 1 },
  ],
} as const satisfies Pick<PanelSpec, 'mappings' | 'thresholds'>;
