import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, hasTool } from '@leviathan/test-support';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateMetrics, collectThreadMetrics } from './aggregate-metrics.js';
import { createThreadMetrics, type ThreadMetrics } from './thread-metrics.js';

/**
 * A real Prometheus scrapes the aggregated exposition of two threads from a loopback HTTP server,
 * and its query API returns the merged values: the format is what Prometheus ingests, not just
 * what our parser accepts.
 */
describe.skipIf(!hasTool('prometheus'))('a real Prometheus scraping aggregated metrics', () => {
  const threads: ThreadMetrics[] = [];
  let http: Server;
  let prometheus: ChildProcess;
  let apiPort = 0;
  let dir = '';
  let prometheusLog = '';

  beforeAll(async () => {
    const gateway = createThreadMetrics(new Registry(), { thread: 'gateway-0' });
    const shard = createThreadMetrics(new Registry(), { thread: 'shard-0' });
    threads.push(gateway, shard);
    gateway.connectionsOpened.inc(4);
    gateway.connectedPlayers.set(3);
    gateway.commandDuration.observe(0.004);
    gateway.commandDuration.observe(0.03);
    shard.connectionsOpened.inc(2); // counted in another thread: summed
    shard.tickDuration.observe({ shard: '0' }, 0.0007);

    const metricsPort = await freePort();
    http = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      Promise.all(threads.map((t) => collectThreadMetrics(t.registry)))
        .then(aggregateMetrics)
        .then((text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text));
    });
    await new Promise<void>((resolve) => http.listen(metricsPort, '127.0.0.1', resolve));

    apiPort = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'lev-prom-'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: leviathan\n    static_configs:\n      - targets: ['127.0.0.1:${metricsPort}']\n`,
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${apiPort}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr!.setEncoding('utf8').on('data', (d: string) => {
      prometheusLog = (prometheusLog + d).slice(-4000);
    });
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise((resolve) => http?.close(resolve));
    for (const t of threads) t.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Queries Prometheus until the expression has a value (bounded: 60 s). */
  async function query(expr: string): Promise<number> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${apiPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
        if (res.ok) {
          const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
          const first = body.data.result[0];
          if (first) return Number(first.value[1]);
        }
      } catch {
        // not up yet
      }
      if (Date.now() > deadline)
        throw new Error(`no value for ${expr} within 60 s; prometheus log:\n${prometheusLog}`);
      // Wait for the next scrape (every second): a bounded poll, not a timing assumption.
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('ingests the exposition and answers with the merged values', async () => {
    expect(await query('up{job="leviathan"} == 1')).toBe(1);
    expect(await query('leviathan_connections_opened_total')).toBe(6);
    expect(await query('leviathan_connected_players')).toBe(3);
    expect(await query('leviathan_command_duration_seconds_count')).toBe(2);
    expect(await query('leviathan_tick_duration_seconds_bucket{shard="0",le="0.001"}')).toBe(1);
    expect(await query('count(leviathan_event_loop_lag_seconds)')).toBe(2);
    expect(await query('leviathan_bytes_per_player')).toBeGreaterThan(0);
  }, 90_000);
});
