import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool } from '@leviathan/test-support';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectDashboardsUse, readDashboards, readProvisioning } from './helpers/grafana.js';
import { MONITORING_DIR, REPO_ROOT } from './repo-paths.js';

const PROM_DIR = join(MONITORING_DIR, 'prometheus');
/** prometheus.yml loads every rules/*.yml; each has its promtool tests in tests/<name>.rules.test.yml. */
const RULE_FILES = readdirSync(join(PROM_DIR, 'rules')).filter((f) => f.endsWith('.yml'));

interface RuleFile {
  groups: Array<{ rules: Array<{ alert?: string; labels?: { severity?: string } }> }>;
}
interface RuleTestFile {
  tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] | null }> }>;
}

const readYaml = (path: string): unknown => parse(readFileSync(join(PROM_DIR, path), 'utf8'));
/** The alerts of rules/<file>. */
const alertsOf = (file: string): string[] =>
  (readYaml(`rules/${file}`) as RuleFile).groups.flatMap((g) => g.rules.flatMap((r) => r.alert ?? []));
/** The alerts that tests/<name>.rules.test.yml expects to fire at least once. */
const firingCases = (file: string): string[] =>
  (readYaml(`tests/${file.replace(/\.yml$/, '')}.rules.test.yml`) as RuleTestFile).tests.flatMap((t) =>
    (t.alert_rule_test ?? []).filter((c) => (c.exp_alerts ?? []).length > 0).map((c) => c.alertname),
  );

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: Array<{ expr: string }>;
}

describe.skipIf(!hasTool('promtool', 'prometheus'))('promtool', () => {
  const promtool = (...args: string[]) => spawnSync('promtool', args, { cwd: PROM_DIR, encoding: 'utf8' });

  it('accepts prometheus.yml', () => {
    const res = promtool('check', 'config', 'prometheus.yml');
    expect(res.status, res.stderr + res.stdout).toBe(0);
  });

  it('finds the rule files', () => {
    expect(RULE_FILES).toEqual(expect.arrayContaining(['leviathan.yml', 'pve.yml', 'services.yml']));
  });

  it.each(RULE_FILES)('accepts the rules of %s', (file) => {
    const res = promtool('check', 'rules', `rules/${file}`);
    expect(res.status, res.stderr + res.stdout).toBe(0);
  });

  it.each(RULE_FILES)('passes the alert unit tests of %s (alerts fire on synthetic series)', (file) => {
    const res = promtool('test', 'rules', `tests/${file.replace(/\.yml$/, '')}.rules.test.yml`);
    expect(res.status, res.stderr + res.stdout).toBe(0);
  });

  it('finds the alerts of every rule file', () => {
    expect(alertsOf('pve.yml').length).toBeGreaterThan(5);
    expect(alertsOf('services.yml')).toEqual(
      expect.arrayContaining(['NodeExporterDown', 'PostgresExporterDown', 'PostgresDown']),
    );
  });

  // An alert counts as tested only where a case expects it to fire (exp_alerts not empty): a case
  // that only expects silence would pass for an alert whose expression can never match.
  it.each(RULE_FILES)('has a promtool test case in which each alert of %s fires', (file) => {
    const tested = new Set(firingCases(file));
    expect(alertsOf(file).filter((alert) => !tested.has(alert))).toEqual([]);
  });
});

describe.skipIf(!hasTool('amtool', 'prometheus-alertmanager'))('amtool', () => {
  const AM_DIR = join(MONITORING_DIR, 'alertmanager');
  const amtool = (...args: string[]) => spawnSync('amtool', args, { cwd: AM_DIR, encoding: 'utf8' });
  /** The receivers `amtool config routes test` resolves an alert with these labels to. */
  const routeOf = (...labels: string[]): string => {
    const res = amtool('config', 'routes', 'test', '--config.file=alertmanager.yml', ...labels);
    expect(res.status, res.stderr + res.stdout).toBe(0);
    return res.stdout.trim();
  };

  it('accepts alertmanager.yml', () => {
    const res = amtool('check-config', 'alertmanager.yml');
    expect(res.status, res.stderr + res.stdout).toBe(0);
    expect(res.stdout).toContain('SUCCESS');
  });

  it('routes critical alerts to oncall, warnings and the unlabelled to the team', () => {
    expect(routeOf('alertname=PostgresDown', 'severity=critical', 'environment=production')).toBe('oncall');
    expect(routeOf('alertname=NodeExporterDown', 'severity=warning')).toBe('team');
    expect(routeOf('alertname=Unknown')).toBe('team');
  });

  // docs/operations.md#alerts shows these commands with the receiver each prints: they must still.
  it("routes as docs/operations.md's examples say", () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8');
    const examples = [
      ...doc.matchAll(/^amtool config routes test --config\.file=(monitoring\/\S+) (.+)\n# (\w+)$/gm),
    ];
    expect(examples.length).toBeGreaterThan(0);
    for (const [, file = '', labels = '', receiver] of examples) {
      const res = spawnSync(
        'amtool',
        ['config', 'routes', 'test', `--config.file=${file}`, ...labels.split(' ')],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        },
      );
      expect(res.stdout.trim(), `${file} ${labels}: ${res.stderr}`).toBe(receiver);
    }
  });

  // The routes above match on these two; an alert of another severity would fall to the team.
  it('gives every alert one of the severities the routes know', () => {
    const severities = RULE_FILES.flatMap((f) =>
      (readYaml(`rules/${f}`) as RuleFile).groups.flatMap((g) =>
        g.rules.flatMap((r) => (r.alert ? [r.labels?.severity] : [])),
      ),
    );
    expect(severities.filter((s) => s !== 'critical' && s !== 'warning')).toEqual([]);
  });
});

describe('grafana', () => {
  const GRAFANA_DIR = join(MONITORING_DIR, 'grafana');
  const dashboard = JSON.parse(
    readFileSync(join(GRAFANA_DIR, 'dashboards/leviathan-engine.json'), 'utf8'),
  ) as {
    panels: Panel[];
    templating: { list: Array<{ name: string; type: string; current?: { value?: string } }> };
  };
  const provisioning = readProvisioning(join(GRAFANA_DIR, 'provisioning'));
  const dashboards = readDashboards(join(GRAFANA_DIR, 'dashboards'));

  it('provisions one Prometheus data source, and the dashboard folder where docker-compose mounts it', () => {
    expect(provisioning.datasources.map((d) => [d.type, d.uid])).toEqual([
      ['prometheus', 'leviathan-prometheus'],
    ]);
    const compose = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
    expect(provisioning.providers.map((p) => p.options.path)).toEqual(['/var/lib/grafana/dashboards']);
    expect(compose).toContain('./monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro');
  });

  it('has dashboards that parse, each with its uid, naming only the provisioned data source', () => {
    expect([...dashboards.keys()]).toContain('leviathan-engine.json');
    expectDashboardsUse(dashboards, provisioning.datasources[0]?.uid ?? '');
  });

  it('uses the provisioned datasource in every panel', () => {
    const uid = provisioning.datasources[0]?.uid;
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(15);
    // Through the dashboard's `datasource` variable, whose default is the provisioned one.
    const variable = dashboard.templating.list.find((v) => v.type === 'datasource');
    expect(variable?.current?.value).toBe(uid);
    for (const p of panels) expect(p.datasource?.uid, p.title).toBe(`\${${variable?.name}}`);
  });

  it('shows what the seed asks for', () => {
    const exprs = dashboard.panels
      .flatMap((p) => p.targets ?? [])
      .map((t) => t.expr)
      .join('\n');
    for (const needed of [
      'leviathan_connected_players',
      'leviathan:command_duration_seconds:p99',
      'leviathan:memory_per_player_bytes',
      'leviathan:db_query_duration_seconds:p99',
      'leviathan_shard_up',
      'leviathan:tick_duration_seconds:p99',
    ]) {
      expect(exprs).toContain(needed);
    }
  });

  it("shows a cluster's nodes, the zones each holds, the bytes between them and lease changes", () => {
    const exprs = dashboard.panels
      .flatMap((p) => p.targets ?? [])
      .map((t) => t.expr)
      .join('\n');
    for (const needed of [
      'leviathan_cluster_nodes_up',
      'leviathan_cluster_zones_held',
      'leviathan_cluster_bus_bytes_total',
      'leviathan_cluster_lease_events_total',
    ]) {
      expect(exprs).toContain(needed);
    }
  });

  it('shows the Proxmox hosts: nodes up, quorum, node CPU and memory, storage, guests running', () => {
    const proxmox = dashboard.panels.filter((p) => (p.targets ?? []).some((t) => t.expr.includes('pve')));
    const exprs = proxmox.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    for (const needed of [
      'pve_up{type="node"}',
      'pve_cluster_quorate',
      'pve_scrape_success',
      'pve_node_cpu_ratio',
      'pve:node_memory_used:ratio',
      'pve:storage_used:ratio',
      'pve_guest_running',
    ]) {
      expect(exprs.join('\n')).toContain(needed);
    }
    // The engine's $instance variable names engines, not the exporter: no Proxmox query filters on it.
    expect(exprs.filter((e) => e.includes('$instance'))).toEqual([]);
    expect(proxmox.filter((p) => p.type === 'bargauge').map((p) => p.title)).toEqual([
      'Node CPU',
      'Node memory',
      'Storage used',
    ]);
  });
});
