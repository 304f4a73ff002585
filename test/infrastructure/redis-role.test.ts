/**
 * The redis role, for real where it can be here (connection local, no apt, no systemctl): its
 * guard refuses a Redis without a vault password before any other task; each environment's
 * inventory gives the role and the game servers what they need; and the configuration, rendered
 * by the role's own task, runs the real redis-server, which must then demand the password, refuse
 * to evict, save nothing and listen only where told. Installing the package and the systemd unit
 * need root and systemd, so those tasks are only syntax-checked (ansible-syntax.test.ts).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, hasTool, redisAvailable } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyPlaybook, ROLES_ENV, refusedRunTasks, writeRoleTasksPlaybook } from './helpers/ansible.js';
import { ANSIBLE_DIR } from './repo-paths.js';

const ROLE = join(ANSIBLE_DIR, 'roles/redis');
const WILDCARD_GUARD = 'redis : Refuse a Redis listening on every interface';
const PASSWORD_GUARD =
  'redis : Refuse a Redis without a vault password where the network reaches it, and in production';
/** What a vault password may hold: URL and redis.conf syntax alike ("/" from base64, quotes, a backslash). */
const PASSWORD = 'a/b+c d@e:f%"g\\h\'0123456789';

/** The tasks a failed run got to, in order, and the last one's message. */
function failedRun(ran: Awaited<ReturnType<typeof refusedRunTasks>>): {
  names: string[];
  msg: string | undefined;
} {
  const tasks = ran.filter(
    // Ansible's check of the role's argument spec (meta/argument_specs.yml) comes first.
    (t) => !t.name.startsWith("redis : Validating arguments against arg spec 'main'"),
  );
  return { names: tasks.map((t) => t.name), msg: tasks.at(-1)?.hosts.localhost?.msg };
}

/** Whether something accepts TCP connections on host:port. */
function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
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

  describe('refuses, before any other task', () => {
    let playbook: string;
    beforeAll(() => {
      playbook = join(dir, 'role.yml');
      writeFileSync(playbook, '- hosts: localhost\n  gather_facts: false\n  roles:\n    - role: redis\n');
    });
    const refuse = (extraVars: Record<string, unknown>) => refusedRunTasks(playbook, extraVars, dir);

    it('a Redis on the network without a password', async () => {
      const { names, msg } = failedRun(await refuse({ redis_bind_address: '10.20.0.5', redis_password: '' }));
      expect(names).toEqual([WILDCARD_GUARD, PASSWORD_GUARD]);
      expect(msg).toMatch(/vault_leviathan_redis_password.*binds 10\.20\.0\.5, which is not loopback/);
    });

    it('a password shorter than 16 characters', async () => {
      const { names } = failedRun(
        await refuse({ redis_bind_address: '10.20.0.5 127.0.0.1', redis_password: 'fifteen-chars-!' }),
      );
      expect(names).toEqual([WILDCARD_GUARD, PASSWORD_GUARD]);
    });

    it('an empty password in production, even on loopback', async () => {
      const { names, msg } = failedRun(
        await refuse({ leviathan_environment: 'production', redis_password: '' }),
      );
      expect(names).toEqual([WILDCARD_GUARD, PASSWORD_GUARD]);
      expect(msg).toMatch(/vault_leviathan_redis_password.*in production/);
    });

    it.each(['0.0.0.0', '* -::*', '127.0.0.1 ::'])('a wildcard bind (%s), password or not', async (bind) => {
      const { names, msg } = failedRun(await refuse({ redis_bind_address: bind, redis_password: PASSWORD }));
      expect(names).toEqual([WILDCARD_GUARD]);
      expect(msg).toMatch(/private address, not a wildcard/);
    });
  });

  it.each([
    ['loopback outside production without a password', { leviathan_environment: 'development' }],
    [
      'the network with a 16-character password',
      { redis_bind_address: '10.20.0.5', redis_password: 'x'.repeat(16) },
    ],
    ['production with a vault password', { leviathan_environment: 'production', redis_password: PASSWORD }],
  ])('lets through %s', async (_, extraVars) => {
    const playbook = writeRoleTasksPlaybook(join(dir, 'guard.yml'), 'redis', 'guard.yml');
    await applyPlaybook({
      playbook,
      inventory: 'localhost,',
      connection: 'local',
      extraVars,
      cwd: dir,
      env: ROLES_ENV,
      timeoutMs: 120_000,
    });
  });

  describe('in each environment, from its inventory and a vault file', () => {
    const EXPECTED = {
      // Development's one VM keeps Redis on loopback, where it runs without a vault.
      development: { bind: '127.0.0.1', password: false },
      staging: { bind: '10.20.0.5', password: true },
      production: { bind: '10.20.0.7', password: true },
    } as const;
    let playbook: string;
    let vaultFile: string;
    beforeAll(() => {
      playbook = join(dir, 'environment.yml');
      writeFileSync(
        playbook,
        [
          '- hosts: redis',
          '  gather_facts: false',
          '  connection: local',
          '  tasks:',
          '    - ansible.builtin.include_role:',
          '        name: redis',
          '        tasks_from: guard.yml',
          '    - ansible.builtin.include_role:',
          '        name: redis',
          '        tasks_from: config.yml',
          '- hosts: game_servers',
          '  gather_facts: false',
          '  connection: local',
          '  tasks:',
          '    - name: The Redis URL',
          '      ansible.builtin.debug:',
          '        var: leviathan_redis_url',
          '',
        ].join('\n'),
      );
      // As docs/operations.md has it: a file of vault_ variables passed with `-e @` (here in clear).
      vaultFile = join(dir, 'vault.yml');
      writeFileSync(vaultFile, `vault_leviathan_redis_password: ${JSON.stringify(PASSWORD)}\n`);
    });
    const run = (environment: string, out: string, extraVarsFiles: string[]) =>
      applyPlaybook({
        playbook,
        inventory: join(ANSIBLE_DIR, `inventories/${environment}/hosts.yml`),
        extraVars: {
          redis_config_dir: out,
          redis_user: userInfo().username,
          redis_group: execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim(),
          ansible_python_interpreter: 'auto_silent',
        },
        extraVarsFiles,
        cwd: dir,
        env: ROLES_ENV,
        timeoutMs: 120_000,
      });

    it.each(Object.entries(EXPECTED))(
      '%s: Redis binds the host it runs on, and the game servers get its URL',
      async (environment, expected) => {
        const out = join(dir, environment);
        mkdirSync(out);
        const result = await run(environment, out, expected.password ? [vaultFile] : []);
        const conf = readFileSync(join(out, 'redis.conf'), 'utf8');
        expect(conf).toMatch(new RegExp(`^bind ${expected.bind.replaceAll('.', '\\.')}$`, 'm'));
        expect(conf.includes('requirepass')).toBe(expected.password);

        const urls = result.plays[1]?.tasks[0]?.hosts ?? {};
        expect(Object.keys(urls).length).toBeGreaterThan(0);
        for (const host of Object.values(urls)) {
          const raw = host.raw.leviathan_redis_url;
          expect(typeof raw).toBe('string');
          const url = new URL(raw as string);
          expect(url.host).toBe(`${expected.bind}:6379`);
          expect(decodeURIComponent(url.password)).toBe(expected.password ? PASSWORD : '');
          expect(url.username).toBe('');
        }
      },
    );

    it('production without the vault file is refused', async () => {
      const err = await run('production', join(dir, 'no-vault'), []).catch((e: unknown) => e);
      expect(String(err)).toMatch(/redis_password must be 16 characters or more.*in production/);
    });
  });

  describe.skipIf(!redisAvailable() || !hasTool('redis-cli', 'redis-tools'))(
    'its configuration, on the real redis-server',
    () => {
      // Another loopback address than 127.0.0.1 (Linux routes all of 127.0.0.0/8 to lo), so that
      // "only where told" can be seen: nothing may answer on 127.0.0.1.
      const BIND = '127.0.0.2';
      let port: number;
      let server: ChildProcess | undefined;
      let output = '';

      /** What redis-cli prints (a failed AUTH goes to stderr, then the command runs without it). */
      const cli = (args: string[], password?: string) => {
        const auth = password === undefined ? [] : ['--no-auth-warning', '-a', password];
        const res = spawnSync('redis-cli', ['-h', BIND, '-p', String(port), ...auth, ...args], {
          encoding: 'utf8',
          timeout: 10_000,
        });
        return (res.stderr + res.stdout).trim();
      };

      beforeAll(async () => {
        const out = join(dir, 'live');
        mkdirSync(out);
        port = await freePort();
        const playbook = writeRoleTasksPlaybook(join(dir, 'render.yml'), 'redis', 'config.yml');
        await applyPlaybook({
          playbook,
          inventory: 'localhost,',
          connection: 'local',
          extraVars: {
            redis_config_dir: out,
            redis_user: userInfo().username,
            redis_group: execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim(),
            redis_bind_address: BIND,
            redis_port: port,
            redis_password: PASSWORD,
          },
          cwd: dir,
          env: ROLES_ENV,
          timeoutMs: 120_000,
        });
        // The rendered file as is; only what belongs to Debian's unit (its directories, systemd's
        // notification socket) is overridden on the command line.
        server = spawn(
          'redis-server',
          [
            join(out, 'redis.conf'),
            ...['--dir', out, '--logfile', '', '--pidfile', join(out, 'redis.pid'), '--supervised', 'no'],
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        server.stdout?.on('data', (d: Buffer) => {
          output = (output + d.toString()).slice(-4000);
        });
        server.stderr?.on('data', (d: Buffer) => {
          output = (output + d.toString()).slice(-4000);
        });
        for (let i = 0; i < 200 && !(await listening(BIND, port)); i++) {
          if (server.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        if (!(await listening(BIND, port))) throw new Error(`redis-server does not answer: ${output}`);
      });
      afterAll(() => {
        server?.kill('SIGKILL');
      });

      it('demands the password', () => {
        expect(cli(['PING'])).toMatch(/^NOAUTH/);
        expect(cli(['PING'], 'not-the-password-at-all')).toMatch(/WRONGPASS[\s\S]*NOAUTH/);
        expect(cli(['PING'], PASSWORD)).toBe('PONG');
        expect(cli(['CONFIG', 'GET', 'protected-mode'], PASSWORD)).toBe('protected-mode\nyes');
      });

      it('refuses to evict, within its memory limit', () => {
        expect(cli(['CONFIG', 'GET', 'maxmemory-policy'], PASSWORD)).toBe('maxmemory-policy\nnoeviction');
        expect(cli(['CONFIG', 'GET', 'maxmemory'], PASSWORD)).toBe(`maxmemory\n${256 * 1024 * 1024}`);
      });

      it('saves nothing', () => {
        expect(cli(['CONFIG', 'GET', 'save'], PASSWORD)).toBe('save');
        expect(cli(['CONFIG', 'GET', 'appendonly'], PASSWORD)).toBe('appendonly\nno');
      });

      it('listens only where told', async () => {
        expect(cli(['CONFIG', 'GET', 'bind'], PASSWORD)).toBe(`bind\n${BIND}`);
        expect(cli(['CONFIG', 'GET', 'port'], PASSWORD)).toBe(`port\n${port}`);
        expect(await listening(BIND, port)).toBe(true);
        expect(await listening('127.0.0.1', port)).toBe(false);
      });
    },
  );
});
