/**
 * `--out prometheus-rw` against the real thing: a real Prometheus with its remote-write receiver,
 * two generator processes (`--segment 1/2` and `2/2`, one testid, as on two machines) running a
 * scenario against a real WebSocket server, then Prometheus's API asked what arrived, compared with
 * the runs' own summaries. Then receivers that are down or failing: the run goes on, and says so.
 */
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrometheusClient, type QueryResult } from '@leviathan/infra-sdk';
import { freePort, hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOAD_TEST_SECTION } from '../../../scripts/grafana/load-test-section.js';
import {
  type PrometheusServer,
  pollUntil,
  startPrometheus,
} from '../../../test/infrastructure/helpers/prometheus-server.js';
import { withAllInstances } from '../../../test/infrastructure/helpers/promql.js';
import { PrometheusRemoteWrite } from '../src/output/remote-write/prometheus-rw.js';
import { runTest } from '../src/runner/run-test.js';
import type { Summary } from '../src/summary/summary.js';
import { type GameServer, startGameServer } from './fixtures/game-server.js';
import { runCli } from './fixtures/run-cli.js';

const scenario = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/${name}.ts`, import.meta.url));
const DOCS = fileURLToPath(new URL('../../../docs/loadgen.md', import.meta.url));

/** The one value of an instant query that returns one series (or a scalar). */
function single(data: QueryResult): number {
  if (data.resultType === 'scalar') return data.result.value;
  if (data.resultType !== 'vector' || data.result.length !== 1)
    throw new Error(`expected one series, got ${JSON.stringify(data)}`);
  return data.result[0]?.value as number;
}
const seriesCount = (data: QueryResult) =>
  data.resultType === 'vector' || data.resultType === 'matrix' ? data.result.length : 1;

function summed(summaries: Summary[], key: string, field: 'count' | 'passes' | 'fails' | 'max'): number {
  return summaries.reduce((n, s) => {
    const values = s.metrics[key]?.values as Record<string, number> | undefined;
    return field === 'max' ? Math.max(n, values?.max ?? 0) : n + (values?.[field] ?? 0);
  }, 0);
}

/** The PromQL queries of docs/loadgen.md's "Prometheus remote write" subsection (its ```promql blocks). */
function documentedQueries(): string[] {
  const doc = readFileSync(DOCS, 'utf8');
  const start = doc.indexOf('### Prometheus remote write');
  const next = /\n##+ /.exec(doc.slice(start + 1));
  const section = doc.slice(start, next === null ? undefined : start + 1 + next.index);
  return [...section.matchAll(/```promql\n([\s\S]*?)```/g)].flatMap((m) =>
    (m[1] ?? '').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')),
  );
}

let game: GameServer;
let prometheus: PrometheusServer | undefined;
let prom: PrometheusClient;
let dir: string;

beforeAll(async () => {
  game = await startGameServer();
});
afterAll(() => game?.close());

describe.skipIf(!hasTool('prometheus'))('--out prometheus-rw into a real Prometheus', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-remote-write-'));
    // No scrape jobs: everything this Prometheus holds came through its remote-write receiver.
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  evaluation_interval: 15s\n');
    prometheus = await startPrometheus(dir, undefined, ['--web.enable-remote-write-receiver']);
    prom = new PrometheusClient({ url: prometheus.url });
    await pollUntil(
      'Prometheus to be ready',
      async () => ((await prom.ready()) ? true : undefined),
      30_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; its log: ${prometheus?.log()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await prom?.close();
    await prometheus?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('two segments of one test: series with their labels, whose totals are the summaries’', async () => {
    const testid = `live-${process.pid}-${Date.now()}`;
    const url = `${prometheus?.url}/api/v1/write`;
    const runs = await Promise.all(
      [1, 2].map((i) =>
        runCli(
          [
            'run',
            scenario('constant'),
            '--segment',
            `${i}/2`,
            '--workers',
            '1',
            '--interval',
            '500ms',
            '--quiet',
            '--progress',
            'none',
            '--out',
            `prometheus-rw=${url}`,
            '--summary-export',
            join(dir, `segment-${i}.json`),
          ],
          { LOADGEN_TARGET: game.url, LEVIATHAN_PROMETHEUS_RW_TESTID: testid },
        ),
      ),
    );
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toContain('prometheus-rw');
    }
    const summaries = [1, 2].map(
      (i) => JSON.parse(readFileSync(join(dir, `segment-${i}.json`), 'utf8')) as Summary,
    );
    const q = async (expr: string) => (await prom.query(expr)).data;
    const sel = `testid="${testid}"`;

    // The cumulative counters' last values, summed over segments and tag sets, are the runs' totals.
    const iterations = summed(summaries, 'iterations', 'count');
    expect(iterations).toBeGreaterThan(0);
    expect(single(await q(`sum(leviathan_load_iterations_total{${sel}})`))).toBe(iterations);
    expect(single(await q(`sum(leviathan_load_checks_passes_total{${sel}})`))).toBe(
      summed(summaries, 'checks', 'passes'),
    );
    expect(single(await q(`sum(leviathan_load_ws_cmd_duration_seconds_count{${sel}})`))).toBe(
      summed(summaries, 'ws_cmd_duration', 'count'),
    );
    // The largest interval maximum is the run's maximum (HDR: within its 0.1% precision).
    const max = single(
      await q(`max(max_over_time(leviathan_load_ws_cmd_duration_seconds{${sel}, quantile="1"}[10m]))`),
    );
    expect(Math.abs(max - summed(summaries, 'ws_cmd_duration', 'max') / 1000)).toBeLessThanOrEqual(
      max * 0.002,
    );

    // One series per segment and tag set, labelled by testid, instance, segment and the tags.
    const series = await q(`leviathan_load_iterations_total{${sel}}`);
    expect(series.resultType).toBe('vector');
    if (series.resultType !== 'vector') return;
    expect(
      series.result.map((s) => s.metric).sort((a, b) => (a.segment ?? '').localeCompare(b.segment ?? '')),
    ).toEqual(
      ['1/2', '2/2'].map((segment) => ({
        __name__: 'leviathan_load_iterations_total',
        testid,
        instance: hostname(),
        segment,
        scenario: 'players',
      })),
    );
    // Each segment's VU level reached its own share.
    for (const [i, s] of summaries.entries()) {
      const vus = single(await q(`max_over_time(leviathan_load_vus{${sel}, segment="${i + 1}/2"}[10m])`));
      expect(vus).toBe(summed([s], 'vus', 'max'));
    }
  }, 120_000);

  it('every query of the Grafana load-test row parses; those of the series a test sends return data', async () => {
    const { data: names } = await prom.labelValues('__name__', {
      match: ['{__name__=~"leviathan_load_.+"}'],
    });
    const returned: string[] = [];
    const panels = LOAD_TEST_SECTION.lines.flat();
    for (const panel of panels) {
      for (const target of panel.targets as Array<{ expr: string }>) {
        const expr = withAllInstances(target.expr).replaceAll('$testid', '.+');
        const { data } = await prom.query(expr); // throws on a query that does not parse
        const reads = [...expr.matchAll(/leviathan_load_\w+/g)].map((m) => m[0]);
        if (reads.every((n) => names.includes(n))) expect(seriesCount(data), expr).toBeGreaterThan(0);
        if (seriesCount(data) > 0) returned.push(String(panel.title));
      }
    }
    // The scenario has no errors; every other panel shows the test.
    expect([...new Set(returned)].sort()).toEqual(
      panels
        .map((p) => String(p.title))
        .filter((t) => !t.includes('errors'))
        .sort(),
    );
  });

  it('the PromQL of docs/loadgen.md runs as written and returns data', async () => {
    const queries = documentedQueries();
    expect(queries.length).toBeGreaterThan(0);
    for (const expr of queries) {
      const { data } = await prom.query(expr);
      expect(seriesCount(data), expr).toBeGreaterThan(0);
    }
  });
});

describe('a receiver that is down or failing', () => {
  let failing: Server;
  let failingUrl: string;
  let requests = 0;
  beforeAll(async () => {
    failing = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.writeHead(500).end('boom: storage is read-only'));
    });
    failing.listen(0, '127.0.0.1');
    await once(failing, 'listening');
    failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/api/v1/write`;
  });
  afterAll(() => {
    failing.close();
  });

  it('answering 500: retried, the run passes, a warning and a last line say what was lost', async () => {
    const warnings: string[] = [];
    const output = new PrometheusRemoteWrite({
      url: failingUrl,
      warn: (m) => warnings.push(m),
      sender: { backoffMs: 1, maxAttempts: 3 },
    });
    process.env.LOADGEN_TARGET = game.url;
    const { summary, thresholdsFailed } = await runTest({
      scenario: scenario('constant'),
      workers: 1,
      intervalMs: 500,
      outputs: [output],
      onWarning: () => {},
    });
    await output.close();
    expect(thresholdsFailed).toBe(false);
    expect(summary.metrics.iterations?.values).toMatchObject({ count: expect.any(Number) });
    expect(warnings[0]).toBe(`${failingUrl} answered 500: boom: storage is read-only`);
    const intervals = Number(/of (\d+) intervals/.exec(warnings.at(-1) ?? '')?.[1]);
    expect(warnings.at(-1)).toMatch(/^0 of \d+ intervals reached the receiver \(\d+ failed, 0 dropped\)/);
    expect(requests).toBe(intervals * 3); // every interval, three attempts each
  }, 60_000);

  it('down: the CLI exits 0 with its warnings on stderr', async () => {
    const url = `http://127.0.0.1:${await freePort()}/api/v1/write`;
    const run = await runCli(
      [
        'run',
        scenario('constant'),
        '--workers',
        '1',
        '--quiet',
        '--progress',
        'none',
        '--out',
        `prometheus-rw=${url}`,
      ],
      { LOADGEN_TARGET: game.url },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`warning: prometheus-rw: ${url}: ECONNREFUSED`);
    expect(run.stderr).toMatch(/warning: prometheus-rw: 0 of \d+ intervals reached the receiver/);
  }, 60_000);
});
