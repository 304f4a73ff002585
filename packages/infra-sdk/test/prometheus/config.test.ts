import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '@leviathan/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PrometheusConfigError } from '../../src/prometheus/errors.js';
import {
  engineScrapeConfig,
  engineTargetGroups,
  formatFileSdTargets,
  formatPrometheusConfig,
  writeFileSdTargets,
} from '../../src/prometheus/index.js';

const dir = mkdtempSync(join(tmpdir(), 'leviathan-prom-config-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fleet = [
  { name: 'engine-1', host: '10.0.0.11', port: 9464, labels: { shard: '1' } },
  { name: 'engine-2', host: '2001:db8::12', port: 9464 },
];

describe('scrape configuration for a fleet', () => {
  it('lists the nodes under job leviathan-engine with path /metrics', () => {
    const config = engineScrapeConfig({ nodes: fleet, scrapeIntervalSeconds: 0.5 });
    expect(config).toEqual({
      job_name: 'leviathan-engine',
      metrics_path: '/metrics',
      scheme: 'http',
      scrape_interval: '500ms',
      scrape_timeout: '500ms',
      static_configs: [
        { targets: ['10.0.0.11:9464'], labels: { shard: '1', node: 'engine-1' } },
        { targets: ['[2001:db8::12]:9464'], labels: { node: 'engine-2' } },
      ],
    });
  });

  it('refuses configurations Prometheus would reject or that scrape nothing', () => {
    expect(() => engineScrapeConfig({})).toThrow(PrometheusConfigError);
    expect(() =>
      engineScrapeConfig({ nodes: fleet, scrapeIntervalSeconds: 5, scrapeTimeoutSeconds: 10 }),
    ).toThrow(/must not exceed/);
    expect(() => engineTargetGroups([fleet[0]!, fleet[0]!])).toThrow(/two nodes/);
    expect(() => formatFileSdTargets([{ targets: ['no-port'] }])).toThrow(/host:port/);
    expect(() => formatFileSdTargets([{ targets: ['h:1'], labels: { 'bad-name': 'x' } }])).toThrow(
      /label name/,
    );
  });

  it.skipIf(!hasTool('promtool', 'prometheus'))(
    'writes a prometheus.yml and file_sd files that promtool accepts',
    async () => {
      const json = join(dir, 'engines.json');
      const yml = join(dir, 'engines.yml');
      await writeFileSdTargets(json, engineTargetGroups(fleet));
      await writeFileSdTargets(yml, engineTargetGroups(fleet));
      expect(parse(readFileSync(yml, 'utf8'))).toEqual(JSON.parse(readFileSync(json, 'utf8')));
      const config = join(dir, 'prometheus.yml');
      writeFileSync(
        config,
        formatPrometheusConfig({
          externalLabels: { cluster: 'test' },
          scrapeConfigs: [engineScrapeConfig({ nodes: fleet, fileSdFiles: [json, yml] })],
        }),
      );
      const res = spawnSync('promtool', ['check', 'config', config], { encoding: 'utf8' });
      expect(res.stderr + res.stdout).toContain('SUCCESS');
      expect(res.status).toBe(0);
      // No temporary file is left next to the targets.
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
  );

  it('rejects a file_sd path Prometheus would not read', async () => {
    await expect(writeFileSdTargets(join(dir, 'targets.txt'), [])).rejects.toThrow(PrometheusConfigError);
  });
});
