import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, hasTool } from '@leviathan/test-support';
import fc from 'fast-check';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusBadDataError, PrometheusExecutionError } from '../../src/prometheus/errors.js';
import {
  ENGINE_JOB_NAME,
  engineScrapeConfig,
  engineTargetGroups,
  formatPrometheusConfig,
  ne,
  oneOf,
  PrometheusClient,
  selector,
  writeFileSdTargets,
} from '../../src/prometheus/index.js';

/** Label values that break a naively built query. */
const TRICKY = [`quote"back\\slash`, 'line\nbreak', 'é ✓ 🐉', '"} or vector(1) or {x="'];

/** Random label values (any Unicode, fixed seed), each on its own series, each queried back. */
const RANDOM = [
  ...new Set([
    // ASCII, where quotes, backslashes and regex metacharacters are frequent.
    ...fc.sample(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }), {
      numRuns: 60,
      seed: 7,
    }),
    ...fc.sample(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), { numRuns: 60, seed: 7 }),
  ]),
];

/** A small engine stand-in: a prom-client registry served over node:http at /metrics. */
async function serveMetrics(nodeName: string): Promise<{ server: Server; port: number }> {
  const registry = new Registry();
  const value = new Gauge({
    name: 'leviathan_test_value',
    help: 'values the test reads back',
    labelNames: ['kind'],
    registers: [registry],
  });
  value.set({ kind: 'one' }, 1);
  value.set({ kind: 'nan' }, Number.NaN);
  value.set({ kind: 'pinf' }, Number.POSITIVE_INFINITY);
  value.set({ kind: 'ninf' }, Number.NEGATIVE_INFINITY);
  for (const [i, kind] of TRICKY.entries()) value.set({ kind }, 100 + i);
  const random = new Gauge({
    name: 'leviathan_test_random',
    help: 'random labels',
    labelNames: ['v'],
    registers: [registry],
  });
  for (const [i, v] of RANDOM.entries()) random.set({ v }, i);
  new Counter({ name: 'leviathan_test_requests_total', help: 'requests served', registers: [registry] }).inc(
    nodeName === 'engine-1' ? 5 : 7,
  );
  new Histogram({
    name: 'leviathan_test_latency_seconds',
    help: 'latency',
    buckets: [0.1, 1],
    registers: [registry],
  }).observe(0.5);
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/** Bounded poll for what Prometheus does on its own clock (scrapes, rule evaluations). */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: last });
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!hasTool('prometheus'))(
  'PrometheusClient against a real Prometheus',
  { timeout: 90_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'leviathan-prometheus-test-'));
    const servers: Server[] = [];
    let prometheus: ChildProcess | undefined;
    let prom: PrometheusClient;
    let targetsFile: string;
    let firstPort: number;
    let stderr = '';

    beforeAll(async () => {
      const first = await serveMetrics('engine-1');
      servers.push(first.server);
      firstPort = first.port;
      targetsFile = join(dir, 'engines.json');
      await writeFileSdTargets(
        targetsFile,
        engineTargetGroups([{ name: 'engine-1', host: '127.0.0.1', port: first.port }]),
      );
      const rules = join(dir, 'rules.yml');
      writeFileSync(
        rules,
        [
          'groups:',
          '  - name: leviathan-test',
          '    interval: 1s',
          '    rules:',
          '      - record: leviathan:test_requests:sum',
          '        expr: sum(leviathan_test_requests_total)',
          '      - alert: LeviathanTestFiring',
          '        expr: leviathan_test_value{kind="one"} > 0',
          '        labels: { severity: info }',
          '        annotations: { summary: "always firing in tests" }',
          '',
        ].join('\n'),
      );
      const config = join(dir, 'prometheus.yml');
      writeFileSync(
        config,
        formatPrometheusConfig({
          scrapeIntervalSeconds: 1,
          evaluationIntervalSeconds: 1,
          ruleFiles: [rules],
          scrapeConfigs: [
            engineScrapeConfig({
              fileSdFiles: [targetsFile],
              scrapeIntervalSeconds: 1,
              scrapeTimeoutSeconds: 1,
            }),
          ],
        }),
      );
      const port = await freePort();
      prometheus = spawn(
        'prometheus',
        [
          `--config.file=${config}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      prometheus.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-10_000);
      });
      prom = new PrometheusClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 10_000 });
      await eventually('Prometheus to be ready', async () => ((await prom.ready()) ? true : undefined)).catch(
        (error: Error) => {
          throw new Error(`${error.message}; prometheus stderr: ${stderr}`);
        },
      );
      // The first scrape lands after one interval (1 s): wait for its samples, not for a fixed time.
      await eventually('the first scrape', async () => {
        const { data } = await prom.query(selector('up', { job: ENGINE_JOB_NAME }));
        return data.resultType === 'vector' && data.result[0]?.value === 1 ? true : undefined;
      });
    });

    afterAll(async () => {
      await prom?.close();
      if (prometheus && prometheus.exitCode === null) {
        prometheus.kill('SIGTERM');
        await once(prometheus, 'exit');
      }
      for (const server of servers) server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('answers healthy, ready and its build information', async () => {
      expect(await prom.healthy()).toBe(true);
      expect(await prom.ready()).toBe(true);
      const { data } = await prom.buildInfo();
      expect(data.version).toMatch(/^2\.\d+\.\d+/);
      expect(data.goVersion).toMatch(/^go/);
    });

    it('keeps NaN, +Inf and -Inf sample values', async () => {
      const { data, warnings } = await prom.query(
        selector('leviathan_test_value', { kind: oneOf(['one', 'nan', 'pinf', 'ninf']) }),
      );
      expect(warnings).toEqual([]);
      if (data.resultType !== 'vector') throw new Error(`expected a vector, got ${data.resultType}`);
      const byKind = Object.fromEntries(data.result.map((s) => [s.metric.kind, s.value]));
      expect(byKind).toEqual({
        one: 1,
        nan: Number.NaN,
        pinf: Number.POSITIVE_INFINITY,
        ninf: Number.NEGATIVE_INFINITY,
      });
      expect(data.result[0]?.metric.node).toBe('engine-1');
      expect(data.result[0]?.time).toBeGreaterThan(1_600_000_000);
    });

    it('selects each tricky label value exactly, escaped by selector()', async () => {
      for (const [i, kind] of TRICKY.entries()) {
        const { data } = await prom.query(selector('leviathan_test_value', { kind }));
        expect(data.resultType === 'vector' && data.result.map((s) => [s.metric.kind, s.value])).toEqual([
          [kind, 100 + i],
        ]);
      }
      const { data } = await prom.query(selector('leviathan_test_value', { kind: oneOf(TRICKY) }));
      expect(data.resultType === 'vector' && data.result.length).toBe(TRICKY.length);
      const others = await prom.query(selector('leviathan_test_value', { kind: ne(TRICKY[0]!) }));
      expect(others.data.resultType === 'vector' && others.data.result.length).toBe(4 + TRICKY.length - 1);
    });

    it('selects random Unicode label values exactly, by equality and by oneOf() regex', async () => {
      const all = await prom.query(selector('leviathan_test_random', { node: 'engine-1' }));
      expect(all.data.resultType === 'vector' && all.data.result.length).toBe(RANDOM.length);
      for (const [i, v] of RANDOM.entries()) {
        for (const matcher of [v, oneOf([v])]) {
          const { data } = await prom.query(selector('leviathan_test_random', { v: matcher }));
          expect({
            v,
            got: data.resultType === 'vector' && data.result.map((s) => [s.metric.v, s.value]),
          }).toEqual({
            v,
            got: [[v, i]],
          });
        }
      }
    });

    it('answers scalar, string and range queries', async () => {
      const scalar = await prom.query('scalar(leviathan_test_value{kind="one"}) * 2');
      expect(scalar.data).toMatchObject({ resultType: 'scalar', result: { value: 2 } });
      const text = await prom.query('"hello"');
      expect(text.data).toMatchObject({ resultType: 'string', result: { value: 'hello' } });
      const end = new Date();
      const range = await prom.queryRange(selector('leviathan_test_value', { kind: 'pinf' }), {
        start: new Date(end.getTime() - 60_000),
        end,
        step: 1,
      });
      expect(range.data.resultType).toBe('matrix');
      const series = range.data.result[0];
      expect(series?.values.length).toBeGreaterThan(0);
      expect(series?.values.every((s) => s.value === Number.POSITIVE_INFINITY)).toBe(true);
    });

    it('lists series, label names and label values', async () => {
      const series = await prom.series([selector('leviathan_test_requests_total')]);
      expect(series.data).toEqual([
        expect.objectContaining({
          __name__: 'leviathan_test_requests_total',
          job: ENGINE_JOB_NAME,
          node: 'engine-1',
        }),
      ]);
      const labels = await prom.labels({ match: [selector('leviathan_test_value')] });
      expect(labels.data).toEqual(expect.arrayContaining(['__name__', 'instance', 'job', 'kind', 'node']));
      const values = await prom.labelValues('kind', { match: [selector('leviathan_test_value')] });
      expect(values.data).toEqual(expect.arrayContaining(['one', 'nan', ...TRICKY]));
    });

    it('shows targets, metadata, rules and firing alerts', async () => {
      const { data: targets } = await prom.targets({ state: 'active' });
      expect(targets.activeTargets).toHaveLength(1);
      expect(targets.activeTargets[0]).toMatchObject({
        health: 'up',
        scrapePool: ENGINE_JOB_NAME,
        scrapeUrl: `http://127.0.0.1:${firstPort}/metrics`,
        labels: expect.objectContaining({ node: 'engine-1', job: ENGINE_JOB_NAME }),
      });
      const { data: metadata } = await prom.metadata({ metric: 'leviathan_test_requests_total' });
      expect(metadata.leviathan_test_requests_total?.[0]).toMatchObject({
        type: 'counter',
        help: 'requests served',
      });
      const alert = await eventually('the alert to fire', async () => {
        const { data } = await prom.alerts();
        return data.find((a) => a.labels.alertname === 'LeviathanTestFiring' && a.state === 'firing');
      });
      expect(alert).toMatchObject({ value: 1, annotations: { summary: 'always firing in tests' } });
      const { data: groups } = await prom.rules();
      const rules = groups[0]?.rules ?? [];
      expect(groups[0]).toMatchObject({ name: 'leviathan-test', interval: 1 });
      expect(rules.map((r) => `${r.type} ${r.name}`)).toEqual([
        'recording leviathan:test_requests:sum',
        'alerting LeviathanTestFiring',
      ]);
      const recorded = await prom.rules({ type: 'record' });
      expect(recorded.data[0]?.rules.every((r) => r.type === 'recording')).toBe(true);
    });

    it('picks up a second node when the file_sd file is rewritten atomically', async () => {
      const second = await serveMetrics('engine-2');
      servers.push(second.server);
      await writeFileSdTargets(
        targetsFile,
        engineTargetGroups([
          { name: 'engine-1', host: '127.0.0.1', port: firstPort },
          { name: 'engine-2', host: '127.0.0.1', port: second.port, labels: { shard: '2' } },
        ]),
      );
      const total = await eventually('both nodes to be scraped', async () => {
        const { data } = await prom.query(
          `sum(${selector('leviathan_test_requests_total', { job: ENGINE_JOB_NAME })})`,
        );
        return data.resultType === 'vector' && data.result[0]?.value === 12 ? 12 : undefined;
      });
      expect(total).toBe(12);
      const { data } = await prom.query(selector('leviathan_test_requests_total', { shard: '2' }));
      expect(data.resultType === 'vector' && data.result[0]?.metric.node).toBe('engine-2');
    });

    it('raises one error class per errorType', async () => {
      const bad = await prom.query('sum(').catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(PrometheusBadDataError);
      expect(bad).toMatchObject({ errorType: 'bad_data', status: 400, code: 'LEV_ERR_PROM_BAD_DATA' });

      const manyToMany = await prom
        .query('leviathan_test_value + on() group_left leviathan_test_value')
        .catch((e: unknown) => e);
      expect(manyToMany).toBeInstanceOf(PrometheusExecutionError);
      expect(manyToMany).toMatchObject({ errorType: 'execution', status: 422 });

      const unknownLabel = await prom.rules({ type: 'nonsense' as 'alert' }).catch((e: unknown) => e);
      expect(unknownLabel).toBeInstanceOf(PrometheusBadDataError);

      const missing = await prom.labelValues('no such label!').catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(PrometheusBadDataError);
    });
  },
);
