import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool } from '@leviathan/test-support';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MONITORING_DIR } from './repo-paths.js';

const PROM_DIR = join(MONITORING_DIR, 'prometheus');

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

  it('accepts the rules', () => {
    const res = promtool('check', 'rules', 'rules/leviathan.yml');
    expect(res.status, res.stderr + res.stdout).toBe(0);
  });

  it('passes the alert unit tests (alerts fire on synthetic series)', () => {
    const res = promtool('test', 'rules', 'tests/leviathan.rules.test.yml');
    expect(res.status, res.stderr + res.stdout).toBe(0);
  });
});

describe('grafana', () => {
  const dashboard = JSON.parse(
    readFileSync(join(MONITORING_DIR, 'grafana/dashboards/leviathan-engine.json'), 'utf8'),
  ) as { panels: Panel[] };
  const datasources = parse(
    readFileSync(join(MONITORING_DIR, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
  ) as { datasources: Array<{ uid: string }> };

  it('uses the provisioned datasource in every panel', () => {
    const uid = datasources.datasources[0]?.uid;
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
});
