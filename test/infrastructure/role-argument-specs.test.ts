/**
 * Every role's meta/: galaxy_info, and an argument spec that documents every variable of its
 * defaults/main.yml with a type, a description and the same default. Ansible validates a role's
 * variables against that spec before its first task, so the spec is checked for real too: it must
 * render in ansible-doc, turn away a value of the wrong type before any task runs, and let through
 * what each environment's inventory and group_vars give every role (a type that disagrees with
 * group_vars would stop a deploy at its first role).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyPlaybook, ROLES_ENV, refusedRunTasks, writeRoleTasksPlaybook } from './helpers/ansible.js';
import { ANSIBLE_DIR } from './repo-paths.js';

const ROLES_DIR = join(ANSIBLE_DIR, 'roles');
const ROLES = readdirSync(ROLES_DIR)
  .filter((name) => statSync(join(ROLES_DIR, name)).isDirectory())
  .sort();
/** The types a role's spec may give (ansible-core's argument spec types this project uses). */
const TYPES = new Set(['str', 'int', 'float', 'bool', 'list', 'dict', 'path', 'raw']);
/** The task Ansible prepends to a role that has an argument spec for its entry point. */
const VALIDATION_TASK = "Validating arguments against arg spec 'main'";

interface Option {
  type?: string;
  description?: unknown;
  default?: unknown;
  required?: boolean;
  choices?: unknown[];
  elements?: string;
  options?: Record<string, Option>;
}
interface EntryPoint {
  short_description?: unknown;
  description?: unknown;
  options?: Record<string, Option>;
}

/** `!unsafe`: Ansible's tag for a string it never renders (a template kept as text). */
const UNSAFE = { tag: '!unsafe', resolve: (value: string) => value };
const readText = (role: string, file: string): string => readFileSync(join(ROLES_DIR, role, file), 'utf8');
const readYaml = (role: string, file: string): unknown =>
  parse(readText(role, file), { customTags: [UNSAFE] });
const mainSpec = (role: string): EntryPoint =>
  (readYaml(role, 'meta/argument_specs.yml') as { argument_specs: { main: EntryPoint } }).argument_specs.main;
const defaults = (role: string): Record<string, unknown> =>
  (readYaml(role, 'defaults/main.yml') as Record<string, unknown> | null) ?? {};

/** A description as ansible-doc takes it: a non-empty string, or a list of them. */
function isDescription(value: unknown): boolean {
  const lines = Array.isArray(value) ? value : [value];
  return lines.length > 0 && lines.every((l) => typeof l === 'string' && l.trim().length > 0);
}

/** Whether a value (a literal default, not a template) is of an argument spec type. */
function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'str':
    case 'path':
      return typeof value === 'string';
    case 'int':
      return Number.isInteger(value);
    case 'float':
      return typeof value === 'number';
    case 'bool':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'dict':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

/** Every option, suboptions included, by its dotted name. */
function allOptions(options: Record<string, Option>, prefix = ''): Array<[string, Option]> {
  return Object.entries(options).flatMap(([name, option]) => [
    [`${prefix}${name}`, option] as [string, Option],
    ...allOptions(option.options ?? {}, `${prefix}${name}.`),
  ]);
}

describe('role meta/ and argument specs', () => {
  it('covers the roles', () => {
    expect(ROLES).toEqual(
      expect.arrayContaining([
        'alertmanager',
        'common',
        'grafana',
        'leviathan-engine',
        'load-testing',
        'monitoring',
        'nodejs',
        'postgresql',
        'redis',
      ]),
    );
  });

  describe.each(ROLES)('%s', (role) => {
    it('has a meta/main.yml with galaxy_info and its dependencies', () => {
      const meta = readYaml(role, 'meta/main.yml') as {
        galaxy_info: Record<string, unknown>;
        dependencies: unknown;
      };
      const info = meta.galaxy_info;
      // Galaxy's role names take no dash: leviathan-engine is leviathan_engine.
      expect(info.role_name).toBe(role.replaceAll('-', '_'));
      for (const key of ['author', 'description', 'license']) {
        expect(typeof info[key], key).toBe('string');
        expect((info[key] as string).length, key).toBeGreaterThan(0);
      }
      expect(info.min_ansible_version).toBe('2.14');
      expect(info.platforms).toEqual([{ name: 'Debian', versions: ['all'] }]);
      expect(Array.isArray(meta.dependencies)).toBe(true);
      for (const dependency of meta.dependencies as unknown[]) {
        const name = typeof dependency === 'string' ? dependency : (dependency as { role: string }).role;
        expect(ROLES, `dependency ${name}`).toContain(name);
      }
    });

    it('has a main entry point in meta/argument_specs.yml', () => {
      const spec = mainSpec(role);
      expect(isDescription(spec.short_description)).toBe(true);
      expect(isDescription(spec.description)).toBe(true);
      expect(Object.keys(spec.options ?? {}).length).toBeGreaterThan(0);
    });

    it('documents every variable of defaults/main.yml, with the same default', () => {
      const options = mainSpec(role).options ?? {};
      const values = defaults(role);
      expect(Object.keys(values).filter((name) => !(name in options))).toEqual([]);
      for (const [name, option] of Object.entries(options)) {
        if (!('default' in option)) {
          // Only what the role cannot run without, or what the inventory may give (no default).
          expect(name in values, `${name} is in defaults/main.yml: give its default`).toBe(false);
          continue;
        }
        expect(name in values, `${name} has a default but is not in defaults/main.yml`).toBe(true);
        expect(option.default, name).toEqual(values[name]);
      }
    });

    it('keeps its templated defaults as text (!unsafe): Ansible renders a spec before validating', () => {
      // The validation task's arguments are the spec itself, rendered before it runs: a default of
      // "{{ ... ansible_service_mgr ... }}" would stop the role where facts are not gathered even
      // with the variable set, and one reading groups where the inventory lacks the group.
      const text = readText(role, 'meta/argument_specs.yml');
      expect(text.split('\n').filter((line) => /^\s*default:\s*["']?\{\{/.test(line))).toEqual([]);
    });

    it('gives every option a description and a type that fits its default and choices', () => {
      for (const [name, option] of allOptions(mainSpec(role).options ?? {})) {
        expect(isDescription(option.description), `${name}: description`).toBe(true);
        expect(TYPES.has(option.type ?? ''), `${name}: type ${option.type}`).toBe(true);
        if (option.type === 'list') expect(TYPES.has(option.elements ?? ''), `${name}: elements`).toBe(true);
        else expect(option.elements, `${name}: elements without a list`).toBeUndefined();
        if (option.required) expect('default' in option, `${name}: required with a default`).toBe(false);
        const value = option.default;
        // A template is a string until Ansible renders it (the role's variables are checked
        // rendered, in the environments below).
        const templated = typeof value === 'string' && value.includes('{{');
        if (value === undefined || templated) continue;
        expect(hasType(value, option.type ?? ''), `${name}: default ${JSON.stringify(value)}`).toBe(true);
        if (option.type === 'list' && option.elements !== undefined) {
          for (const item of value as unknown[]) {
            expect(hasType(item, option.elements), `${name}: element ${JSON.stringify(item)}`).toBe(true);
          }
        }
        if (option.choices !== undefined) expect(option.choices, name).toContain(value);
      }
    });

    it.skipIf(!hasTool('ansible-doc', 'ansible'))('renders in ansible-doc', () => {
      const res = spawnSync('ansible-doc', ['--type', 'role', '--roles-path', ROLES_DIR, role], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(res.status, res.stderr).toBe(0);
      expect(res.stderr).not.toMatch(/ERROR|WARNING/);
      expect(res.stdout).toContain('ENTRY POINT: main');
      for (const name of Object.keys(mainSpec(role).options ?? {}))
        expect(res.stdout).toContain(`- ${name}\n`);
    });
  });
});

describe.skipIf(!hasTool('ansible-playbook', 'ansible'))('role argument validation, for real', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-role-specs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Each case would also be refused by the role's first task (an assert), should the validation
  // ever let it through: nothing here may reach a task that touches the machine.
  it.each([
    [
      'leviathan-engine',
      'leviathan_port',
      { leviathan_port: 'not-a-port', leviathan_service_manager: 'process' },
      /leviathan_port.*unable to convert to int/,
    ],
    [
      'leviathan-engine',
      'leviathan_store_kind',
      { leviathan_store_kind: 'mysql', leviathan_service_manager: 'process' },
      /leviathan_store_kind must be one of: embedded, postgres, got: mysql/,
    ],
    [
      'redis',
      'redis_port',
      { redis_port: 'six-three-seven-nine', redis_bind_address: '0.0.0.0' },
      /redis_port.*unable to convert to int/,
    ],
  ])('%s refuses a wrong %s before its first task', async (role, _, extraVars, message) => {
    const playbook = writeRoleTasksPlaybook(join(dir, `${role}.yml`), role);
    const tasks = await refusedRunTasks(playbook, extraVars, dir);
    // include_role itself, then the validation, which fails: no task of the role ran.
    expect(tasks.map((t) => t.name)).toEqual([
      `ansible.builtin.include_role : ${role}`,
      expect.stringContaining(`${role} : ${VALIDATION_TASK}`),
    ]);
    const result = tasks[1]?.hosts.localhost;
    expect(result?.status).toBe('failed');
    expect(result?.msg).toMatch(/^Validation of arguments failed/);
    expect(result?.msg).toMatch(message);
  });

  /** Where site.yml (and deploy-engine.yml, load-test.yml) apply each role. */
  const HOSTS: Record<string, string> = {
    common: 'all',
    nodejs: 'game_servers:load_generators',
    postgresql: 'databases',
    redis: 'redis',
    monitoring: 'monitoring',
    alertmanager: 'monitoring',
    grafana: 'monitoring',
    'leviathan-engine': 'game_servers',
    'load-testing': 'load_generators',
  };
  const ENVIRONMENTS = readdirSync(join(ANSIBLE_DIR, 'inventories')).filter((e) =>
    existsSync(join(ANSIBLE_DIR, 'inventories', e, 'hosts.yml')),
  );

  it('knows where every role runs', () => {
    expect(Object.keys(HOSTS).sort()).toEqual(ROLES);
  });

  it.each(ENVIRONMENTS)(
    '%s: every role accepts what the inventory and group_vars give it',
    async (environment) => {
      // A role imported but skipped puts its defaults under the inventory's variables, as when it
      // runs; validate_argument_spec then checks them rendered, with the spec Ansible would use.
      const plays = ROLES.flatMap((role) => [
        `- name: ${role}`,
        `  hosts: ${HOSTS[role]}`,
        '  gather_facts: false',
        '  connection: local',
        '  tasks:',
        '    - ansible.builtin.import_role:',
        `        name: ${role}`,
        '      when: false',
        // Ansible's own loader (from_yaml would not take the spec's !unsafe).
        '    - ansible.builtin.include_vars:',
        `        file: ${join(ROLES_DIR, role, 'meta/argument_specs.yml')}`,
        '        name: role_spec',
        `    - name: Validate ${role}`,
        '      ansible.builtin.validate_argument_spec:',
        '        argument_spec: "{{ role_spec.argument_specs.main.options }}"',
      ]);
      const playbook = join(dir, `environment-${environment}.yml`);
      writeFileSync(playbook, `${plays.join('\n')}\n`);
      const result = await applyPlaybook({
        playbook,
        inventory: join(ANSIBLE_DIR, `inventories/${environment}/hosts.yml`),
        extraVars: {
          // What facts and the vault would give.
          ansible_service_mgr: 'systemd',
          ansible_distribution_major_version: '13',
          vault_leviathan_hmac_secret: 'an-hmac-secret-of-forty-characters-000000',
          vault_leviathan_db_password: 'a-database-password-0123456789',
          vault_leviathan_redis_password: 'a-redis-password-0123456789',
          vault_alertmanager_webhook_url: 'https://hooks.example.com/leviathan/0123456789',
          vault_grafana_admin_password: 'a-grafana-password-0123456789',
          ansible_python_interpreter: 'auto_silent',
        },
        cwd: dir,
        env: ROLES_ENV,
        timeoutMs: 120_000,
      });
      for (const role of ROLES) {
        const task = result.plays.flatMap((p) => p.tasks).find((t) => t.name === `Validate ${role}`);
        const hosts = Object.values(task?.hosts ?? {});
        expect(hosts.length, `${role} ran on no host`).toBeGreaterThan(0);
        for (const host of hosts) expect(host.status, `${role} on ${host.host}: ${host.msg}`).toBe('ok');
      }
    },
    120_000,
  );
});
