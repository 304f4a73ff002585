import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool } from '@leviathan/test-support';
import { describe, expect, it } from 'vitest';
import { ANSIBLE_DIR } from './repo-paths.js';

const playbooks = readdirSync(join(ANSIBLE_DIR, 'playbooks')).filter((f) => f.endsWith('.yml'));
/** One folder per environment; beside them, the Terraform inventory script each folder links to. */
const inventories = readdirSync(join(ANSIBLE_DIR, 'inventories'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe.skipIf(!hasTool('ansible-playbook', 'ansible'))('ansible playbooks', () => {
  it('include site, deploy-engine and load-test', () => {
    expect(playbooks.sort()).toEqual(['deploy-engine.yml', 'load-test.yml', 'site.yml']);
    expect(inventories.sort()).toEqual(['development', 'production', 'staging']);
  });

  for (const inventory of inventories) {
    for (const playbook of playbooks) {
      it(`${playbook} passes --syntax-check with the ${inventory} inventory`, () => {
        const res = spawnSync(
          'ansible-playbook',
          ['--syntax-check', '-i', `inventories/${inventory}/hosts.yml`, `playbooks/${playbook}`],
          { cwd: ANSIBLE_DIR, encoding: 'utf8', env: { ...process.env, ANSIBLE_CONFIG: 'ansible.cfg' } },
        );
        expect(res.status, res.stderr + res.stdout).toBe(0);
      });
    }
  }

  // --list-tasks loads every role's task files (imports included), so the redis role is parsed
  // here even though its install tasks cannot run on this machine.
  it('site.yml applies redis to the redis hosts before the engines, in every inventory', () => {
    for (const inventory of inventories) {
      const res = spawnSync(
        'ansible-playbook',
        ['--list-tasks', '-i', `inventories/${inventory}/hosts.yml`, 'playbooks/site.yml'],
        { cwd: ANSIBLE_DIR, encoding: 'utf8', env: { ...process.env, ANSIBLE_CONFIG: 'ansible.cfg' } },
      );
      expect(res.status, res.stderr + res.stdout).toBe(0);
      const plays = res.stdout.split(/^\s*play #\d+ /m).slice(1);
      const redis = plays.findIndex((p) => p.startsWith('(redis):'));
      const engine = plays.findIndex((p) => p.includes('leviathan-engine : '));
      expect(redis, `${inventory}: no play on the redis group`).toBeGreaterThanOrEqual(0);
      expect(redis, `${inventory}: redis after the engines`).toBeLessThan(engine);
      expect(plays[redis]).toMatch(
        /redis : Refuse a Redis listening on every interface[\s\S]*redis : Install Redis/,
      );
    }
  });

  it('every inventory defines the groups the playbooks target', () => {
    for (const inventory of inventories) {
      const res = spawnSync('ansible-inventory', ['-i', `inventories/${inventory}/hosts.yml`, '--list'], {
        cwd: ANSIBLE_DIR,
        encoding: 'utf8',
      });
      expect(res.status, res.stderr).toBe(0);
      const groups = JSON.parse(res.stdout) as Record<string, unknown>;
      for (const g of ['game_servers', 'databases', 'redis', 'monitoring', 'load_generators']) {
        expect(groups, `${inventory} lacks ${g}`).toHaveProperty(g);
      }
      // group_vars reach the hosts through the inventory's group_vars link.
      const hostvars = (groups._meta as { hostvars: Record<string, Record<string, unknown>> }).hostvars;
      const first = Object.values(hostvars)[0];
      expect(first?.leviathan_environment).toBe(inventory);
    }
  });
});

// Every role, playbook, inventory and group_vars file, as a reviewer's ansible-lint would see them.
describe.skipIf(!hasTool('ansible-lint', 'ansible-lint'))('ansible-lint', () => {
  it('passes the production profile over the whole Ansible tree', () => {
    // --offline: the collections come with Debian's ansible; Galaxy is not reachable from CI.
    const res = spawnSync('ansible-lint', ['--offline', '--profile', 'production'], {
      cwd: ANSIBLE_DIR,
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_CONFIG: 'ansible.cfg', NO_COLOR: '1' },
      timeout: 180_000,
    });
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout + res.stderr).toMatch(/Passed with production profile/);
  }, 200_000);
});
