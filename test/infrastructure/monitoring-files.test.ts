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
    expect(RULE_FILES).toEqual(expect.arrayContaining(['leviathan.yml', 'pve.yml']));
  });

  it.each(RULE_FILES)('accepts the rules of %s', (file) => {
    const res = promtool('check', 'rules', `rules/${file}`);
    expect(res.status, res.stderr + res.stdout).toBe(0);
  });

  it.each(RULE_FILES)('passes the alert unit tests of %s (alerts fire on synthetic series)', (file) => {
    const res = promtool('test', 'rules', `tests/${file.replace(/\.yml$/, '')}.rules.test.yml`);
    expect(res.status, res.stderr + res.stdout).toBe(0);
  });

  it('has a promtool test for every Proxmox alert', () => {
    const rules = parse(readFileSync(join(PROM_DIR, 'rules/pve.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert?: string }> }>;
    };
    const tests = readFileSync(join(PROM_DIR, 'tests/pve.rules.test.yml'), 'utf8');
    const alerts = rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
    expect(alerts.length).toBeGreaterThan(5);
    expect(alerts.filter((a) => !tests.includes(`alertname: ${a}\n`))).toEqual([]);
  });
});

describe('grafana', () => {
  const GRAFANA_DIR = join(MONITORING_DIR, 'grafana');
  const dashboard = JSON.parse(
    readFileSync(join(GRAFANA_DIR, 'dashboards/leviathan-engine.json'), 'utf8'),
  ) as {
    panels: Panel[];
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
    for (const p of panels) expect(p.datasource?.uid, p.title).toBe(uid);
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
