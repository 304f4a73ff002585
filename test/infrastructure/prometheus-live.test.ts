/**
 * The monitoring files against the real thing: a real engine (createServer, demo game, dev auth,
 * embedded store) with a few players sending commands, leviathan-pve-exporter reading the
 * Proxmox simulator (three nodes, a running game-server VM), the node exporter reading this
 * machine and the Postgres exporter reading the run's Postgres, all scraped by a real Prometheus
 * running a copy of monitoring/prometheus (its prometheus.yml, rules and file_sd targets) at 1 s
 * intervals.
 * Every PromQL expression of the Grafana dashboard and of the rules is then evaluated through the
 * Prometheus HTTP API (with @leviathan/infra-sdk's client): each must parse and return data, so
 * a panel that would read "No data" on a healthy fleet fails here, by name.
 *
 * Alert expressions return nothing while all is well (that is what their final comparison is
 * for), so for them the full expression must parse (an empty answer, no error) and its left-hand
 * side — the expression without its final comparison to a number — must return data: that proves
 * every metric and recording rule it reads exists with the labels it expects.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type LeviathanServer } from '@leviathan/engine';
import { demoGameModule } from '@leviathan/example-demo';
import {
  createPveExporter,
  PrometheusClient,
  ProxmoxClient,
  type PveExporter,
  type QueryResult,
} from '@leviathan/infra-sdk';
import { PveSimulator } from '@leviathan/infra-sdk/testing';
import { databaseUrl, freePort, hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { connectPlayer, type Player } from './helpers/players.js';
import {
  type PrometheusServer,
  pollUntil,
  startNodeExporter,
  startPostgresExporter,
  startPrometheus,
} from './helpers/prometheus-server.js';
import { alertLeftHandSide, withAllInstances } from './helpers/promql.js';
import { MONITORING_DIR } from './repo-paths.js';

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ record?: string; alert?: string; expr: string }> }>;
}
interface Dashboard {
  templating: { list: Array<{ name: string; definition: string }> };
  panels: Array<{ title: string; type: string; targets?: Array<{ refId: string; expr: string }> }>;
}
interface ScrapeConfig {
  job_name: string;
  scrape_interval?: string;
  scrape_timeout?: string;
  file_sd_configs?: Array<{ files: string[]; refresh_interval?: string }>;
}

/** Every rules/*.yml, as prometheus.yml loads them: the engine's (leviathan.yml) and Proxmox's (pve.yml). */
const RULES_DIR = join(MONITORING_DIR, 'prometheus/rules');
const rules: RuleFile = {
  groups: readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .flatMap((f) => (parse(readFileSync(join(RULES_DIR, f), 'utf8')) as RuleFile).groups),
};
const dashboard = JSON.parse(
  readFileSync(join(MONITORING_DIR, 'grafana/dashboards/leviathan-engine.json'), 'utf8'),
) as Dashboard;
const recordingRules = rules.groups.flatMap((g) => g.rules.filter((r) => r.record !== undefined));
const alertRules = rules.groups.flatMap((g) => g.rules.filter((r) => r.alert !== undefined));
const panelQueries = dashboard.panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ name: `${p.title} [${t.refId}]`, expr: withAllInstances(t.expr) })),
);
/**
 * Series that exist only on some engines, so their panels are only parsed here: the cluster row's
 * metrics only on a cluster node (`cluster.redisUrl`; the engine here is a single node, and the
 * cluster tests in packages/engine/test/cluster run real cluster nodes), and the job pool's
 * histograms (labelled by job) only once a game runs a job, which the demo game never does.
 */
const isClusterQuery = (expr: string): boolean =>
  expr.includes('leviathan_cluster_') || /leviathan_job_(wait|run)_seconds/.test(expr);
/**
 * The load-test row reads what a load generator sends (`leviathan_load_*`), and none runs here:
 * its queries are only parsed; packages/loadgen/test/remote-write-live.test.ts runs one against a
 * real Prometheus and checks they return data.
 */
const isLoadTestQuery = (expr: string): boolean => expr.includes('leviathan_load_');
const onlyParsed = (expr: string): boolean => isClusterQuery(expr) || isLoadTestQuery(expr);

/**
 * Alertmanager's `up`: no Alertmanager runs here (its target is a closed port), so its alert is
 * only parsed; tests/services.rules.test.yml makes it fire.
 */
const readsAbsentExporter = (expr: string): boolean => expr.includes('job="alertmanager"');

const PLAYERS = 3;

/** Number of samples a query returned (a scalar or string counts as one). */
function sampleCount(data: QueryResult): number {
  return data.resultType === 'vector' || data.resultType === 'matrix' ? data.result.length : 1;
}

const canRun =
  hasTool('prometheus') &&
  hasTool('prometheus-node-exporter') &&
  hasTool('prometheus-postgres-exporter') &&
  databaseUrl() !== '';

describe.skipIf(!canRun)('monitoring against a real engine, exporters and Prometheus', () => {
  let dir: string;
  let engine: LeviathanServer | undefined;
  let prometheus: PrometheusServer | undefined;
  let prom: PrometheusClient;
  let pveSim: PveSimulator | undefined;
  let pveClient: ProxmoxClient | undefined;
  let pveExporter: PveExporter | undefined;
  let nodeExporter: PrometheusServer | undefined;
  let postgresExporter: PrometheusServer | undefined;
  const players: Player[] = [];
  let traffic: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-prom-'));
    engine = createServer({
      host: '127.0.0.1',
      port: 0,
      game: demoGameModule(),
      shards: 2,
      gatewayThreads: 1,
      auth: { mode: 'dev' },
      store: { kind: 'embedded', dataDir: join(dir, 'store') },
      log: { level: 'warn' },
    });
    const { port } = await engine.listen();

    // Players log in, act, and one leaves: connections opened and closed (with a reason), commands
    // timed, presence in shards, dirty state flushed by the write-behind.
    for (let i = 0; i < PLAYERS + 1; i++) players.push(await connectPlayer(port, `watcher${i}`));
    for (const p of players) {
      expect((await p.command('look')).ok).toBe(true);
      await p.command('say hello');
    }
    await players.pop()?.close();

    // The Proxmox exporter reads a three-node simulated cluster with a running game server.
    pveSim = await PveSimulator.start({
      nodes: ['pve1', 'pve2', 'pve3'],
      vms: [{ vmid: 100, node: 'pve1', name: 'game-1', status: 'running' }],
    });
    pveClient = new ProxmoxClient({
      baseUrl: pveSim.url,
      auth: { type: 'token', tokenId: 'root@pam!sdk', secret: '00000000-0000-4000-8000-000000000000' },
    });
    pveExporter = await createPveExporter({ client: pveClient, port: 0 });

    // The host meters read this machine; the database row reads the run's Postgres.
    nodeExporter = await startNodeExporter(dir);
    postgresExporter = await startPostgresExporter(dir, databaseUrl());

    // A copy of monitoring/prometheus, changed only where a test must: 1 s intervals (the groups
    // follow the global evaluation interval), the engine and the exporters started here as the
    // file_sd targets.
    const promDir = join(dir, 'prometheus');
    cpSync(join(MONITORING_DIR, 'prometheus'), promDir, { recursive: true });
    const config = parse(readFileSync(join(promDir, 'prometheus.yml'), 'utf8')) as {
      global: Record<string, unknown>;
      scrape_configs: ScrapeConfig[];
    };
    config.global.scrape_interval = '1s';
    config.global.evaluation_interval = '1s';
    const promPort = await freePort();
    for (const job of config.scrape_configs) {
      delete job.scrape_interval;
      delete job.scrape_timeout; // a timeout may not exceed the (now 1 s) interval
    }
    writeFileSync(join(promDir, 'prometheus.yml'), stringify(config));
    // The `prometheus` job scrapes where Prometheus listens: here, this server's own port.
    writeFileSync(
      join(promDir, 'targets/prometheus.json'),
      JSON.stringify([{ targets: [`127.0.0.1:${promPort}`] }]),
    );
    writeFileSync(
      join(promDir, 'targets/engines.json'),
      JSON.stringify([{ targets: [`127.0.0.1:${port}`], labels: { environment: 'test' } }]),
    );
    writeFileSync(
      join(promDir, 'targets/pve.json'),
      JSON.stringify([{ targets: [`127.0.0.1:${pveExporter.port}`] }]),
    );
    writeFileSync(
      join(promDir, 'targets/node.json'),
      JSON.stringify([{ targets: [`127.0.0.1:${nodeExporter.port}`] }]),
    );
    writeFileSync(
      join(promDir, 'targets/postgres.json'),
      JSON.stringify([{ targets: [`127.0.0.1:${postgresExporter.port}`] }]),
    );
    // No Alertmanager here: its target is a port nothing listens on, so its `up` series exists (0)
    // for the AlertmanagerDown alert to read.
    const closed = `127.0.0.1:${await freePort()}`;
    writeFileSync(join(promDir, 'targets/alertmanager.json'), JSON.stringify([{ targets: [closed] }]));

    prometheus = await startPrometheus(promDir, promPort);
    prom = new PrometheusClient({ url: prometheus.url, timeoutMs: 10_000 });
    await pollUntil('Prometheus to be ready', async () => ((await prom.ready()) ? true : undefined), 30_000);

    // Commands keep coming while Prometheus scrapes, so rates and quantiles have data.
    let turn = 0;
    traffic = setInterval(() => {
      const p = players[turn++ % players.length];
      p?.command('who').catch(() => {});
    }, 150);

    // Every recording rule has a series (rate() needs two scrapes, a rule one evaluation after).
    await pollUntil(
      'every recording rule to have data',
      async () => {
        for (const rule of recordingRules) {
          const { data } = await prom.query(rule.record ?? '');
          if (sampleCount(data) === 0) return undefined;
        }
        return true;
      },
      60_000,
    );

    // And every dashboard query, as far as a minute allows: one that never has data fails below,
    // by panel name, rather than here.
    await pollUntil(
      'every dashboard query to have data',
      async () => {
        for (const q of panelQueries.filter((q) => !onlyParsed(q.expr))) {
          const { data } = await prom.query(q.expr);
          if (sampleCount(data) === 0) return undefined;
        }
        return true;
      },
      60_000,
    ).catch(() => {});
  }, 180_000);

  afterAll(async () => {
    if (traffic) clearInterval(traffic);
    await Promise.all(players.map((p) => p.close().catch(() => {})));
    await prom?.close();
    await prometheus?.stop();
    await pveExporter?.close();
    await pveClient?.close();
    await pveSim?.close();
    await nodeExporter?.stop();
    await postgresExporter?.stop();
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('scrapes the engine from the file_sd target with the rules loaded and healthy', async () => {
    const { data: up } = await prom.query('up{job="leviathan-engine"}');
    expect(up.resultType).toBe('vector');
    if (up.resultType !== 'vector') return;
    expect(up.result).toHaveLength(1);
    expect(up.result[0]?.metric.environment).toBe('test');
    expect(up.result[0]?.value).toBe(1);

    const { data: groups } = await prom.rules();
    const loaded = groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual(
      [...recordingRules.map((r) => r.record), ...alertRules.map((r) => r.alert)].sort(),
    );
    for (const rule of loaded) {
      expect(rule.lastError ?? '', rule.name).toBe('');
      expect(rule.health, rule.name).toBe('ok');
    }
  });

  it('scrapes the Proxmox exporter from its file_sd target: a query returns the node series', async () => {
    const { data } = await prom.query('pve_up{job="proxmox", type="node"}');
    expect(data.resultType).toBe('vector');
    if (data.resultType !== 'vector') return;
    expect(data.result.map((s) => s.metric.node).sort()).toEqual(['pve1', 'pve2', 'pve3']);
    for (const s of data.result) expect(s.value).toBe(1);
    const { data: running } = await prom.query('sum(pve_guest_running{job="proxmox"})');
    if (running.resultType === 'vector') expect(running.result[0]?.value).toBe(1);
  });

  it('records the real numbers: players connected now', async () => {
    const { data } = await prom.query('sum(leviathan:connected_players:sum)');
    expect(data.resultType).toBe('vector');
    if (data.resultType === 'vector') expect(data.result[0]?.value).toBe(PLAYERS);
  });

  it.each(recordingRules.map((r) => [r.record ?? '', r.expr] as const))(
    'recording rule %s: its expression parses and returns data',
    async (_name, expr) => {
      const { data } = await prom.query(expr);
      expect(sampleCount(data)).toBeGreaterThan(0);
    },
  );

  it.each(
    alertRules.filter((r) => !readsAbsentExporter(r.expr)).map((r) => [r.alert ?? '', r.expr] as const),
  )('alert %s: the expression parses and its left-hand side returns data', async (_name, expr) => {
    await prom.query(expr); // throws PrometheusBadDataError if it does not parse
    const lhs = alertLeftHandSide(expr);
    expect(lhs, `${expr} does not end in a comparison to a number`).toBeDefined();
    const { data } = await prom.query(lhs ?? '');
    expect(sampleCount(data), lhs).toBeGreaterThan(0);
  });

  it.each(alertRules.filter((r) => readsAbsentExporter(r.expr)).map((r) => [r.alert ?? '', r.expr] as const))(
    'alert %s (Alertmanager is not run here): the expression parses',
    async (_name, expr) => {
      // Throws PrometheusBadDataError if it does not parse.
      await prom.query(expr);
    },
  );

  it('lists the engines for the dashboard variable', async () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'instance');
    const metric = /^label_values\((\w+), instance\)$/.exec(variable?.definition ?? '')?.[1];
    expect(metric).toBeDefined();
    const { data } = await prom.labelValues('instance', { match: [metric ?? ''] });
    expect(data).toHaveLength(1);
  });

  it('has queries on the dashboard', () => {
    expect(panelQueries.length).toBeGreaterThan(25);
  });

  it.each(panelQueries.filter((q) => !onlyParsed(q.expr)).map((q) => [q.name, q.expr] as const))(
    'dashboard panel %s: parses and returns data',
    async (_name, expr) => {
      const { data } = await prom.query(expr);
      expect(sampleCount(data), expr).toBeGreaterThan(0);
    },
  );

  it.each(panelQueries.filter((q) => onlyParsed(q.expr)).map((q) => [q.name, q.expr] as const))(
    'dashboard panel %s (a cluster node, a game with jobs or a load test only): parses',
    async (_name, expr) => {
      // Throws PrometheusBadDataError if it does not parse.
      await prom.query(expr);
    },
  );
});
