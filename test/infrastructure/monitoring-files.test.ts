import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '@leviathan/engine';
import { hasTool } from '@leviathan/test-support';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MONITORING_DIR, REPO_ROOT } from './repo-paths.js';

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
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<
      string,
      { volumes?: string[]; build?: { context: string; dockerfile: string }; ports?: string[] }
    >;
  };

  it('parses and has the services the engine uses', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['engine', 'grafana', 'node-exporter', 'postgres', 'postgres-exporter', 'prometheus'].sort(),
    );
  });

  it('mounts only files and folders that exist', () => {
    let mounts = 0;
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (!source.startsWith('./')) continue; // a named volume
        mounts++;
        expect(existsSync(join(REPO_ROOT, source)), `${name} mounts missing ${source}`).toBe(true);
      }
      if (service.build) {
        expect(existsSync(join(REPO_ROOT, service.build.context, service.build.dockerfile))).toBe(true);
      }
    }
    expect(mounts).toBeGreaterThan(5);
  });

  it('uses the same ports as the rest of the repository', () => {
    expect(compose.services.engine?.ports).toContain('8080:8080');
    expect(compose.services.prometheus?.ports).toContain('9090:9090');
    const targets = JSON.parse(readFileSync(join(PROM_DIR, 'targets/engines.json'), 'utf8')) as Array<{
      targets: string[];
    }>;
    expect(targets[0]?.targets).toEqual(['engine:8080']);
  });

  it('gives the engine a configuration it accepts, the store URL from the environment', () => {
    const engine = compose.services.engine as { environment?: Record<string, string> };
    const config = resolveConfig(
      {},
      { file: join(REPO_ROOT, 'deploy/engine.compose.yaml'), env: engine.environment ?? {}, argv: [] },
    );
    expect(config.port).toBe(8080);
    expect(config.store.kind).toBe('postgres');
    expect(config.store.url).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    expect(config.auth.mode).toBe('dev');
  });
});
