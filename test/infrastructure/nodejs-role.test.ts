/**
 * The nodejs role's guard, applied for real to localhost (connection local): it refuses a Node.js
 * line other than 22 or 24 before it touches a package source. The installing tasks themselves
 * need NodeSource's repository and root, so they are only syntax-checked (ansible-syntax.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { refusedRunTasks } from './helpers/ansible.js';
import { ANSIBLE_DIR } from './repo-paths.js';

describe.skipIf(!hasTool('ansible-playbook', 'ansible'))('the nodejs role', () => {
  let dir: string;
  let playbook: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-nodejs-role-'));
    playbook = join(dir, 'nodejs.yml');
    writeFileSync(playbook, '- hosts: localhost\n  gather_facts: false\n  roles:\n    - role: nodejs\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs Node 24 by default, the production line', () => {
    const defaults = parse(readFileSync(join(ANSIBLE_DIR, 'roles/nodejs/defaults/main.yml'), 'utf8'));
    const all = parse(readFileSync(join(ANSIBLE_DIR, 'group_vars/all.yml'), 'utf8'));
    expect(defaults.nodejs_major).toBe(24);
    expect(all.nodejs_major).toBe(24);
  });

  it('refuses Node 20 (end of life) before any other task', async () => {
    const tasks = await refusedRunTasks(playbook, { nodejs_major: 20 }, dir);
    // The role's argument spec (meta/argument_specs.yml: choices 22 and 24) refuses it first.
    expect(tasks.map((t) => t.name)).toEqual([
      expect.stringContaining("nodejs : Validating arguments against arg spec 'main'"),
    ]);
    expect(tasks[0]?.hosts.localhost?.msg).toMatch(/nodejs_major must be one of: 22, 24, got: 20/);
  });
});
