/**
 * The grafana role, for real where it can be here: Grafana's APT repository is out of reach, so
 * the install is only linted and syntax-checked (ansible-syntax.test.ts runs site.yml); its
 * guards run and refuse; and its provisioning tasks (tasks_from: provision.yml) render into a
 * directory of the test's, where the files must be what Grafana documents and what the
 * repository's dashboards and the monitoring role's Prometheus need.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type SigningKey, signingKeys } from '../gpg.js';
import { applyPlaybook, ROLES_ENV, refusedRunTasks, writeRoleTasksPlaybook } from './helpers/ansible.js';
import { expectDashboardsUse, readDashboards, readProvisioning } from './helpers/grafana.js';
import { ANSIBLE_DIR, MONITORING_DIR, REPO_ROOT } from './repo-paths.js';

const ROLE = join(ANSIBLE_DIR, 'roles/grafana');
const ADDRESS = '10.20.0.10';
/** What a vault password may hold: quotes, a backslash, a dollar, spaces. */
const PASSWORD = 'a/b+c d@e:f%"g\\h\'$0123456789';
const defaults = parse(readFileSync(join(ROLE, 'defaults/main.yml'), 'utf8')) as Record<string, unknown>;

describe('the grafana role', () => {
  it('installs the Grafana the docker-compose stack runs, from apt.grafana.com, by its own keyring', () => {
    const compose = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`image: grafana/grafana:${defaults.grafana_version}\n`);
    const install = readFileSync(join(ROLE, 'tasks/install.yml'), 'utf8');
    expect(defaults.grafana_apt_repository).toBe('https://apt.grafana.com');
    expect(install).toContain(
      'repo: "deb [signed-by={{ grafana_apt_keyring }}] {{ grafana_apt_repository }}',
    );
    expect(install).toContain('name: "grafana={{ grafana_version }}"');
  });

  it('has no password but the vault one', () => {
    expect(defaults.grafana_admin_password).toBe("{{ vault_grafana_admin_password | default('') }}");
  });

  it('runs in a play of its own on the monitoring hosts, tagged grafana, the last before the game servers', () => {
    const site = parse(readFileSync(join(ANSIBLE_DIR, 'playbooks/site.yml'), 'utf8')) as Array<
      Record<string, unknown>
    >;
    const at = site.findIndex((play) => (play.roles as string[] | undefined)?.includes('grafana'));
    expect(site[at]).toMatchObject({
      hosts: 'monitoring',
      become: true,
      tags: ['grafana'],
      roles: ['grafana'],
    });
    expect(site[at + 1]).toEqual({
      name: 'Game servers',
      'ansible.builtin.import_playbook': 'deploy-engine.yml',
    });
  });
});

describe.skipIf(!hasTool('ansible-playbook', 'ansible'))('the grafana role, run', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-grafana-role-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('refuses, before any other task', () => {
    const refuse = async (extraVars: Record<string, unknown>) => {
      const playbook = join(dir, 'role.yml');
      writeFileSync(playbook, '- hosts: localhost\n  gather_facts: false\n  roles:\n    - role: grafana\n');
      const tasks = await refusedRunTasks(playbook, { ansible_host: ADDRESS, ...extraVars }, dir);
      // Ansible's check of the role's argument spec comes first.
      const ran = tasks.filter((t) => !t.name.includes("Validating arguments against arg spec 'main'"));
      return { names: ran.map((t) => t.name), msg: ran.at(-1)?.hosts.localhost?.msg ?? '' };
    };

    it('a Grafana without a vault password (no fallback)', async () => {
      const { names, msg } = await refuse({});
      expect(names).toEqual([
        'grafana : Refuse a Grafana listening on every interface',
        'grafana : Refuse a Grafana without an admin password from the vault',
      ]);
      expect(msg).toMatch(/vault_grafana_admin_password/);
    });

    it('a password shorter than 16 characters', async () => {
      const { names } = await refuse({ vault_grafana_admin_password: 'fifteen-chars-!' });
      expect(names.at(-1)).toBe('grafana : Refuse a Grafana without an admin password from the vault');
    });

    it.each(['0.0.0.0', '::'])('a wildcard address (%s)', async (address) => {
      const { names, msg } = await refuse({
        vault_grafana_admin_password: PASSWORD,
        grafana_http_addr: address,
      });
      expect(names).toEqual(['grafana : Refuse a Grafana listening on every interface']);
      expect(msg).toMatch(/private address, not a wildcard/);
    });
  });

  describe.skipIf(!hasTool('gpg', 'gnupg'))(
    "the repository key, checked against Grafana's fingerprint",
    () => {
      let keys: ReturnType<typeof signingKeys>;
      let grafana: SigningKey;
      let intruder: SigningKey;
      beforeAll(() => {
        keys = signingKeys(mkdtempSync(join(dir, 'keys-')));
        grafana = keys.make('grafana');
        intruder = keys.make('intruder');
      }, 60_000);

      /** Runs key.yml on localhost, serving `url`, expecting `fingerprint`; the keyring's path. */
      const runKeyTasks = async (name: string, url: string, fingerprint: string, refused: boolean) => {
        const playbook = writeRoleTasksPlaybook(join(dir, 'key.yml'), 'grafana', 'key.yml');
        const keyring = join(dir, `${name}.asc`);
        const extraVars = {
          grafana_apt_key_url: url,
          grafana_apt_keyring: keyring,
          grafana_apt_key_fingerprint: fingerprint,
        };
        if (refused) {
          const tasks = await refusedRunTasks(playbook, extraVars, dir);
          expect(tasks.at(-1)?.name).toBe('grafana : Refuse a key that is not the one Grafana publishes');
        } else {
          await applyPlaybook({
            playbook,
            inventory: 'localhost,',
            connection: 'local',
            extraVars,
            cwd: dir,
            env: { ...ROLES_ENV, GNUPGHOME: keys.env.GNUPGHOME ?? '' },
            timeoutMs: 120_000,
          });
        }
        return keyring;
      };

      it('installs the key with the fingerprint given', async () => {
        const keyring = await runKeyTasks('good', grafana.url, grafana.fingerprint, false);
        expect(readFileSync(keyring, 'utf8')).toBe(readFileSync(grafana.file, 'utf8'));
      });

      it('refuses another key, leaving no keyring', async () => {
        const keyring = await runKeyTasks('swapped', intruder.url, grafana.fingerprint, true);
        expect(existsSync(keyring)).toBe(false);
      });

      it('refuses the right key served with a second one', async () => {
        const both = join(dir, 'served-both.asc');
        writeFileSync(both, readFileSync(grafana.file, 'utf8') + readFileSync(intruder.file, 'utf8'));
        const keyring = await runKeyTasks('both', pathToFileURL(both).href, grafana.fingerprint, true);
        expect(existsSync(keyring)).toBe(false);
      });

      it("names Grafana's published fingerprint by default", () => {
        expect(defaults.grafana_apt_key_fingerprint).toBe('B53AE77BADB630A683046005963FA27710458545');
      });
    },
  );

  describe('provisioning, rendered by its own tasks', () => {
    let out: string;
    const path = (...parts: string[]) => join(out, ...parts);
    beforeAll(async () => {
      out = mkdtempSync(join(dir, 'out-'));
      // Two plays, as in site.yml: the monitoring role's Prometheus address (its defaults, in a
      // play of their own) and the grafana play, which must reach the same address without them.
      const playbook = join(dir, 'provision.yml');
      writeFileSync(
        playbook,
        [
          '- hosts: localhost',
          '  gather_facts: false',
          '  tasks:',
          '    - ansible.builtin.import_role:',
          '        name: monitoring',
          '      when: false',
          '    - ansible.builtin.copy:',
          `        dest: ${path('prometheus_listen')}`,
          '        content: "{{ prometheus_listen }}"',
          '        mode: "0644"',
          '- hosts: localhost',
          '  gather_facts: false',
          '  tasks:',
          '    - ansible.builtin.include_role:',
          '        name: grafana',
          '        tasks_from: provision.yml',
          '',
        ].join('\n'),
      );
      await applyPlaybook({
        playbook,
        inventory: 'localhost,',
        connection: 'local',
        extraVars: {
          ansible_host: ADDRESS,
          vault_grafana_admin_password: PASSWORD,
          // The default is relative to the playbook, which is not in the repository here.
          grafana_source_dir: join(MONITORING_DIR, 'grafana'),
          grafana_config_dir: out,
          grafana_provisioning_dir: path('provisioning'),
          grafana_dashboards_dir: path('dashboards'),
          grafana_group: execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim(),
        },
        cwd: dir,
        env: ROLES_ENV,
        timeoutMs: 120_000,
      });
    }, 120_000);

    it("points the data source at the monitoring role's Prometheus", () => {
      const { datasources } = readProvisioning(path('provisioning'));
      const prometheus = readFileSync(path('prometheus_listen'), 'utf8');
      expect(prometheus).toBe(`${ADDRESS}:9090`);
      expect(datasources).toEqual([
        expect.objectContaining({
          type: 'prometheus',
          uid: 'leviathan-prometheus',
          url: `http://${prometheus}`,
        }),
      ]);
    });

    it('provides the dashboards from where it copied them, every one naming the data source', () => {
      const { datasources, providers } = readProvisioning(path('provisioning'));
      expect(providers.map((p) => p.options.path)).toEqual([path('dashboards')]);
      const copied = readDashboards(path('dashboards'));
      const source = join(MONITORING_DIR, 'grafana/dashboards');
      expect([...copied.keys()].sort()).toEqual(
        readdirSync(source)
          .filter((f) => f.endsWith('.json'))
          .sort(),
      );
      for (const file of copied.keys()) {
        expect(readFileSync(path('dashboards', file), 'utf8')).toBe(readFileSync(join(source, file), 'utf8'));
      }
      expectDashboardsUse(copied, datasources[0]?.uid ?? '');
    });

    it('listens on the private address, reading the password from a file only its group reads', () => {
      const env = readFileSync(path('leviathan.env'), 'utf8');
      expect(env).toContain(`GF_SERVER_HTTP_ADDR=${ADDRESS}\n`);
      expect(env).toContain(`GF_SECURITY_ADMIN_PASSWORD__FILE=${path('admin-password')}\n`);
      expect(env).toContain(`GF_PATHS_PROVISIONING=${path('provisioning')}\n`);
      expect(env).not.toContain(PASSWORD);
      // The home dashboard is one the role copied.
      const home = /^GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH=(.+)$/m.exec(env)?.[1] ?? '';
      expect(home.startsWith(`${path('dashboards')}/`), home).toBe(true);
      expect(existsSync(home), home).toBe(true);
      expect(readFileSync(path('admin-password'), 'utf8')).toBe(PASSWORD);
      expect(statSync(path('admin-password')).mode & 0o777).toBe(0o640);
      expect(statSync(path('provisioning/datasources/leviathan.yml')).mode & 0o777).toBe(0o640);
    });
  });
});
