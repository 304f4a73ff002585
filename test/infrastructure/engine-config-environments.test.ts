/**
 * The engine configuration each environment would get: the leviathan-engine role's config tasks
 * rendered by the real Ansible with each inventory's group_vars (to a temp dir, connection local),
 * then read by the engine's own resolveConfig() with the rendered environment file as the
 * environment. A group_vars key the engine does not know, a secret in the wrong place or a value
 * out of range fails here, not on a server.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '@leviathan/engine';
import { hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlaybook } from './helpers/ansible.js';
import { ANSIBLE_DIR } from './repo-paths.js';

const SECRET = 'an-hmac-secret-of-forty-characters-000000';

/** Reads KEY=value lines as systemd's EnvironmentFile and sh do (values shell-quoted by the role). */
function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m?.[1]) continue;
    const raw = m[2] ?? '';
    env[m[1]] = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1).replaceAll(`'"'"'`, "'") : raw;
  }
  return env;
}

const EXPECTED = {
  development: { auth: 'dev', loginRate: 1000, database: '10.20.0.10' },
  staging: { auth: 'dev', loginRate: 1000, database: '10.20.0.5' },
  production: { auth: 'hmac', loginRate: 1, database: '10.20.0.7' },
} as const;

describe.skipIf(!hasTool('ansible-playbook', 'ansible'))('engine configuration per environment', () => {
  let dir: string;
  let playbook: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-envconfig-'));
    playbook = join(dir, 'render.yml');
    writeFileSync(
      playbook,
      [
        '- hosts: game_servers[0]',
        '  gather_facts: false',
        '  connection: local',
        '  tasks:',
        '    - ansible.builtin.include_role:',
        '        name: leviathan-engine',
        '        tasks_from: config.yml',
        '',
      ].join('\n'),
    );
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(Object.entries(EXPECTED))(
    '%s: the engine accepts what the role renders',
    async (environment, expected) => {
      const out = join(dir, environment);
      mkdirSync(out);
      await applyPlaybook({
        playbook,
        inventory: join(ANSIBLE_DIR, `inventories/${environment}/hosts.yml`),
        extraVars: {
          leviathan_config_dir: out,
          leviathan_user: userInfo().username,
          leviathan_group: execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim(),
          leviathan_service_manager: 'none', // render only: no handler restarts anything
          vault_leviathan_hmac_secret: SECRET,
          vault_leviathan_db_password: "p@ss w'rd",
          ansible_python_interpreter: 'auto_silent',
        },
        env: { ANSIBLE_ROLES_PATH: join(ANSIBLE_DIR, 'roles') },
        timeoutMs: 120_000,
      });
      const env = parseEnvFile(readFileSync(join(out, 'engine.env'), 'utf8'));
      const config = resolveConfig({}, { file: join(out, 'engine.yaml'), env, argv: [] });

      expect(config.port).toBe(8080);
      expect(config.game).toBe('@leviathan/mud/game');
      expect(config.gameOptions).toEqual({ world: '/opt/leviathan/world' });
      expect(config.auth.mode).toBe(expected.auth);
      expect(config.auth.rate.perSecond).toBe(expected.loginRate);
      expect(config.store.kind).toBe('postgres');
      // The store URL, password included, comes from the environment file, never from engine.yaml.
      expect(readFileSync(join(out, 'engine.yaml'), 'utf8')).not.toContain('postgres://');
      // The password is URL-encoded into the URL, whatever characters it holds.
      const url = new URL(config.store.url ?? '');
      expect([url.username, decodeURIComponent(url.password), url.host, url.pathname]).toEqual([
        'leviathan',
        "p@ss w'rd",
        `${expected.database}:5432`,
        '/leviathan',
      ]);
      if (expected.auth === 'hmac') expect(env.LEVIATHAN_HMAC_SECRET).toBe(SECRET);
    },
  );
});
