/**
 * The redis role, for real where it can be here: its guard, applied to localhost (connection
 * local), refuses a network-reachable Redis without a password before any other task; its
 * configuration, rendered by the real Ansible template module, runs the real redis-server, which
 * must then demand the password and refuse to evict. Installing the package and starting the
 * systemd unit need root and systemd, so those tasks are only syntax-checked (ansible-syntax.test.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnsibleHostsFailedError, runPlaybook } from '@leviathan/infra-sdk';
import { freePort, hasTool, redisAvailable } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyPlaybook } from './helpers/ansible.js';
import { ANSIBLE_DIR } from './repo-paths.js';

const ROLE = join(ANSIBLE_DIR, 'roles/redis');

/** Sends RESP commands on one connection and resolves with the raw replies once `replies` of them came. */
function redisCommands(port: number, commands: string[][], replies: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no ${replies} replies: ${JSON.stringify(data)}`));
    }, 5000);
    socket.once('error', reject);
    socket.on('data', (d) => {
      data += d.toString();
      const count = data.split('\r\n').filter((l) => /^[+\-:*]/.test(l)).length;
      if (count >= replies) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data);
      }
    });
    socket.once('connect', () => {
      for (const c of commands)
        socket.write(`*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
  });
}

describe.skipIf(!hasTool('ansible-playbook', 'ansible'))('the redis role', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-redis-role-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('listens on loopback by default, where it needs no password', () => {
    const defaults = parse(readFileSync(join(ROLE, 'defaults/main.yml'), 'utf8'));
    expect(defaults.redis_bind_address).toBe('127.0.0.1');
    expect(defaults.redis_password).toBe('');
  });

  it('refuses a Redis reachable from the network without a password, before any other task', async () => {
    const playbook = join(dir, 'guard.yml');
    writeFileSync(playbook, '- hosts: localhost\n  gather_facts: false\n  roles:\n    - role: redis\n');
    const err = await runPlaybook({
      playbook,
      inventory: 'localhost,',
      connection: 'local',
      extraVars: { redis_bind_address: '10.20.0.5', redis_password: '' },
      cwd: dir,
      env: { ANSIBLE_ROLES_PATH: join(ANSIBLE_DIR, 'roles') },
      timeoutMs: 120_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnsibleHostsFailedError);
    const tasks = (err as AnsibleHostsFailedError).result?.plays.flatMap((p) => p.tasks) ?? [];
    expect(tasks.map((t) => t.name)).toEqual([
      'redis : Refuse a Redis reachable from the network without a password',
    ]);
    expect(tasks[0]?.hosts.localhost?.msg).toMatch(
      /10\.20\.0\.5 is not loopback.*vault_leviathan_redis_password/,
    );
  });

  describe.skipIf(!redisAvailable())('its configuration, on the real redis-server', () => {
    it('demands the password, refuses to evict, and persists nothing', async () => {
      const conf = join(dir, 'redis.conf');
      const playbook = join(dir, 'render.yml');
      writeFileSync(
        playbook,
        [
          '- hosts: localhost',
          '  gather_facts: false',
          `  vars_files: [${join(ROLE, 'defaults/main.yml')}]`,
          '  tasks:',
          '    - ansible.builtin.template:',
          `        src: ${join(ROLE, 'templates/redis.conf.j2')}`,
          `        dest: ${conf}`,
          '',
        ].join('\n'),
      );
      await applyPlaybook({
        playbook,
        inventory: 'localhost,',
        connection: 'local',
        extraVars: { redis_password: 'correct-horse-battery-staple' },
        cwd: dir,
        timeoutMs: 120_000,
      });
      const port = await freePort();
      // The rendered file as is; only what this machine lacks (the systemd unit's directories) is
      // overridden on the command line.
      const server = spawn(
        'redis-server',
        [conf, '--port', String(port), '--dir', dir, '--logfile', '', '--supervised', 'no'],
        { stdio: 'ignore' },
      );
      try {
        let reply = '';
        for (let i = 0; i < 100 && !reply; i++) {
          reply = await redisCommands(port, [['PING']], 1).catch(() => '');
          if (!reply) await new Promise((r) => setTimeout(r, 50));
        }
        expect(reply).toMatch(/^-NOAUTH/);
        const answers = await redisCommands(
          port,
          [
            ['AUTH', 'correct-horse-battery-staple'],
            ['CONFIG', 'GET', 'maxmemory-policy'],
            ['CONFIG', 'GET', 'appendonly'],
            ['CONFIG', 'GET', 'save'],
            ['CONFIG', 'GET', 'bind'],
          ],
          5,
        );
        expect(answers).toMatch(/^\+OK/);
        expect(answers).toContain('maxmemory-policy\r\n$10\r\nnoeviction');
        expect(answers).toContain('appendonly\r\n$2\r\nno');
        expect(answers).toContain('save\r\n$0\r\n');
        expect(answers).toContain('bind\r\n$9\r\n127.0.0.1');
      } finally {
        server.kill('SIGKILL');
      }
    });
  });
});
