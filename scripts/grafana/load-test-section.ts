/**
 * The "Load test" row: what `leviathan-load run … --out prometheus-rw` sends (series
 * `leviathan_load_*`, docs/loadgen.md "Prometheus remote write"), under the engine's own figures
 * so a test's load and the engine's answer to it read on one time axis. These are the load
 * generator's series, not engine figures: they have their own table here, not
 * packages/engine/src/metrics/figures.ts. Every query filters on the board's `testid` variable.
 */
import type { Section } from './layout.js';
import { DATASOURCE, type PanelSpec, panel, type Query } from './panels.js';

/** Every load series of the chosen tests: `name{testid=~"$testid"}` plus any further matchers. */
export function loadSeries(name: string, matchers = ''): string {
  return `leviathan_load_${name}{testid=~"$testid"${matchers === '' ? '' : `, ${matchers}`}}`;
}

/** Per-second rate of a cumulative load counter, summed per test over its generators and tag sets. */
const perSecond = (counter: string, legend: string): Query => ({
  expr: `sum by (testid) (rate(${loadSeries(counter)}[$__rate_interval]))`,
  legend: `${legend} {{testid}}`,
});

function series(title: string, unit: string, queries: readonly Query[], extra: Partial<PanelSpec> = {}) {
  return panel({ kind: 'timeseries', title, unit, queries, w: 8, h: 7, ...extra });
}

/** The board's `testid` variable: the tests that sent series, all of them by default. */
export const TESTID_VARIABLE = {
  name: 'testid',
  label: 'Load test',
  type: 'query',
  datasource: DATASOURCE,
  query: { query: 'label_values(leviathan_load_vus, testid)', refId: 'testid' },
  definition: 'label_values(leviathan_load_vus, testid)',
  includeAll: true,
  multi: true,
  allValue: '.*',
  current: { text: 'All', value: '$__all' },
  refresh: 2,
} as const;

export const LOAD_TEST_SECTION: Section = {
  title: 'Load test',
  lines: [
    [
      series('Load: iterations per second', 'ops', [perSecond('iterations_total', 'iterations')], {
        description: 'Iterations the load generators completed, summed over generators and scenarios.',
        min: 0,
      }),
      series(
        'Load: virtual users',
        'short',
        [{ expr: `sum by (testid) (${loadSeries('vus')})`, legend: 'VUs {{testid}}' }],
        { min: 0 },
      ),
      series(
        'Load: command latency',
        's',
        [
          {
            expr: `max by (testid, quantile) (${loadSeries('ws_cmd_duration_seconds', 'quantile=~"0.5|0.95|0.99"')})`,
            legend: 'q{{quantile}} {{testid}}',
          },
          {
            expr: `sum by (testid) (rate(${loadSeries('ws_cmd_duration_seconds_sum')}[$__rate_interval])) / sum by (testid) (rate(${loadSeries('ws_cmd_duration_seconds_count')}[$__rate_interval]))`,
            legend: 'mean {{testid}}',
          },
        ],
        {
          description:
            "A command sent to its reply, as the generator measured it. Quantiles are each interval's, the worst over generators and scenarios; the mean is exact.",
        },
      ),
    ],
    [
      series(
        'Load: checks',
        'ops',
        [perSecond('checks_passes_total', 'passed'), perSecond('checks_fails_total', 'failed')],
        { min: 0 },
      ),
      series(
        'Load: errors and dropped iterations',
        'ops',
        [
          perSecond('iteration_errors_total', 'iteration errors'),
          perSecond('ws_errors_total', 'WebSocket errors'),
          perSecond('ws_timeouts_total', 'timeouts'),
          perSecond('dropped_iterations_total', 'dropped iterations'),
        ],
        {
          description:
            'Iterations that threw, WebSocket errors and timed-out requests, and the iterations an arrival-rate scenario could not start (no free VU): a generator short of VUs or CPU.',
          min: 0,
        },
      ),
      series(
        'Load: WebSocket messages',
        'ops',
        [perSecond('ws_msgs_sent_total', 'sent'), perSecond('ws_msgs_received_total', 'received')],
        { min: 0 },
      ),
    ],
  ],
};
