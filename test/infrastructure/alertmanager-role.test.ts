/**
 * The alertmanager role, for real where it can be here (connection local, no apt, no systemctl):
 * its guards refuse an Alertmanager on every interface and webhook receivers without a URL before
 * anything is installed; its configuration task renders the repository's routing with the
 * inventory's receivers, which amtool (the task's validate) must accept and route: critical alerts
 * to the oncall webhook. Installing the package and the service need root and systemd, so those
 * tasks are only syntax-checked (ansible-syntax.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyPlaybook, ROLES_ENV, refusedRunTasks, writeRoleTasksPlaybook } from './helpers/ansible.js';
import { MONITORING_DIR } from './repo-paths.js';

const SOURCE = join(MONITORING_DIR, 'alertmanager/alertmanager.yml');
const LISTEN_GUARD = 'alertmanager : Refuse an Alertmanager listening on every interface';
const URL_GUARD = 'alertmanager : Refuse webhook receivers without a webhook URL';
const TEAM_URL = 'https://hooks.example.com/team/0123456789';
const ONCALL_URL = 'https://pager.example.com/oncall/9876543210';

interface Config {
  route: unknown;
  inhibit_rules: unknown;
  receivers: Array<{ name: string; webhook_configs?: Array<{ url: string }> }>;
}

/** The role's tasks that ran, without Ansible's argument validation, and the last one's message. */
function failedRun(ran: Awaited<ReturnType<typeof refusedRunTasks>>) {
  const tasks = ran.filter((t) => !t.name.includes("Validating arguments against arg spec 'main'"));
  return { names: tasks.map((t) => t.name), msg: tasks.at(-1)?.hosts.localhost?.msg };
}

describe.skipIf(!hasTool('ansible-playbook', 'ansible') || !hasTool('amtool', 'prometheus-alertmanager'))(
  'the alertmanager role',
  () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'leviathan-alertmanager-role-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    describe('refuses, before anything is installed', () => {
      let playbook: string;
      beforeAll(() => {
        playbook = join(dir, 'role.yml');
        writeFileSync(
          playbook,
          '- hosts: localhost\n  gather_facts: false\n  roles:\n    - role: alertmanager\n',
        );
      });
      const refuse = (extraVars: Record<string, unknown>) => refusedRunTasks(playbook, extraVars, dir);

      it.each(['0.0.0.0:9093', ':9093', '[::]:9093'])('an Alertmanager listening on %s', async (listen) => {
        const { names, msg } = failedRun(
          await refuse({ alertmanager_listen: listen, alertmanager_webhook_url: TEAM_URL }),
        );
        expect(names).toEqual([LISTEN_GUARD]);
        expect(msg).toMatch(/private address/);
      });

      it.each([
        ['no webhook URL', {}],
        ['an empty one', { alertmanager_webhook_url: '' }],
        ['one that is no URL', { alertmanager_webhook_url: 'changeme' }],
      ])('webhook receivers with %s', async (_, extraVars) => {
        const { names, msg } = failedRun(
          await refuse({ alertmanager_listen: '10.20.0.8:9093', ...extraVars }),
        );
        expect(names).toEqual([LISTEN_GUARD, URL_GUARD]);
        expect(msg).toMatch(/vault_alertmanager_webhook_url/);
      });
    });

    /** Runs the role's configuration task alone, into `file`, with these variables. */
    const renderConfig = async (file: string, extraVars: Record<string, unknown>) => {
      const playbook = writeRoleTasksPlaybook(join(dir, 'config.yml'), 'alertmanager', 'config.yml');
      return applyPlaybook({
        playbook,
        inventory: 'localhost,',
        connection: 'local',
        extraVars: {
          alertmanager_source_file: SOURCE,
          alertmanager_config_file: file,
          // The group of whoever runs the tests: only root may give a file to another group.
          alertmanager_group: spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim(),
          ...extraVars,
        },
        cwd: dir,
        env: ROLES_ENV,
        timeoutMs: 120_000,
      });
    };

    it('renders the repository routing with the vault webhooks, which amtool accepts and routes', async () => {
      const file = join(dir, 'alertmanager.yml');
      await renderConfig(file, {
        alertmanager_webhook_url: TEAM_URL,
        alertmanager_oncall_webhook_url: ONCALL_URL,
      });
      const rendered = parse(readFileSync(file, 'utf8')) as Config;
      const source = parse(readFileSync(SOURCE, 'utf8')) as Config;
      expect(rendered.route).toEqual(source.route);
      expect(rendered.inhibit_rules).toEqual(source.inhibit_rules);
      expect(rendered.receivers.map((r) => [r.name, r.webhook_configs?.[0]?.url])).toEqual([
        ['oncall', ONCALL_URL],
        ['team', TEAM_URL],
      ]);
      // It holds the webhooks' tokens: no one but its owner and group reads it.
      expect(statSync(file).mode & 0o777).toBe(0o640);
      const route = spawnSync(
        'amtool',
        ['config', 'routes', 'test', `--config.file=${file}`, 'alertname=PostgresDown', 'severity=critical'],
        { encoding: 'utf8' },
      );
      expect(route.status, route.stderr).toBe(0);
      expect(route.stdout.trim()).toBe('oncall');
    });

    it('refuses receivers that lack one the routes name, through amtool', async () => {
      const file = join(dir, 'refused.yml');
      const receivers = [{ name: 'team', slack_configs: [{ api_url: TEAM_URL, channel: '#alerts' }] }];
      const error = await renderConfig(file, { alertmanager_receivers: receivers }).catch((e: unknown) => e);
      expect(String(error)).toMatch(/undefined receiver "oncall"/);
      expect(() => statSync(file)).toThrow();
    });
  },
);
