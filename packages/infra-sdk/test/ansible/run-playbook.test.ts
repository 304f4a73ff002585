import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '@leviathan/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AnsibleAbortedError,
  AnsibleHostsFailedError,
  AnsibleHostsUnreachableError,
  AnsibleNotFoundError,
  AnsibleParseError,
  AnsibleRunFailedError,
  AnsibleTimeoutError,
  AnsibleUsageError,
} from '../../src/ansible/errors.js';
import {
  AnsibleExitCode,
  type AnsibleProgressEvent,
  InventoryBuilder,
  runAdHoc,
  runPlaybook,
} from '../../src/ansible/index.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => join(fixtures, name);
const inventory = fixture('hosts.ini');
const scratch = mkdtempSync(join(tmpdir(), 'leviathan-ansible-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the run to fail');
}

/** Bounded wait for a condition the test cannot get an event for (a file another process writes). */
async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); its /proc status says Z.
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return !/^State:\s+Z/m.test(status);
}

describe.skipIf(!hasTool('ansible-playbook', 'ansible'))(
  'runPlaybook against the real ansible-playbook',
  { timeout: 90_000 },
  () => {
    it('parses plays, tasks, per-host results and stats of a run where nothing changes', async () => {
      const result = await runPlaybook({ playbook: fixture('ok.yml'), inventory });
      expect(result.exitCode).toBe(AnsibleExitCode.Ok);
      expect(result.changed).toBe(false);
      expect(result.plays.map((p) => p.name)).toEqual(['greet']);
      const [hello, look] = result.plays[0]!.tasks;
      expect(hello?.name).toBe('say hello');
      expect(hello?.path).toMatch(/ok\.yml:\d+$/);
      expect(hello?.hosts.good).toMatchObject({
        status: 'ok',
        action: 'ansible.builtin.debug',
        msg: 'hello good',
      });
      expect(hello?.hosts.bad?.msg).toBe('hello bad');
      expect(look?.hosts.good).toMatchObject({ status: 'ok', rc: 0, changed: false });
      expect(result.stats.good).toEqual({
        ok: 2,
        changed: 0,
        failures: 0,
        unreachable: 0,
        skipped: 0,
        rescued: 0,
        ignored: 0,
      });
      expect(result.failedHosts).toEqual([]);
    });

    it('reports changed tasks with their output', async () => {
      const result = await runPlaybook({ playbook: fixture('changed.yml'), inventory, limit: 'good' });
      expect(result.changed).toBe(true);
      const task = result.plays[0]!.tasks[0]!;
      expect(task.hosts.good).toMatchObject({ status: 'changed', stdout: 'changed-output', rc: 0 });
      expect(Object.keys(result.stats)).toEqual(['good']);
    });

    it('rejects with AnsibleHostsFailedError carrying the result when a host fails', async () => {
      const error = await rejection(runPlaybook({ playbook: fixture('failed.yml'), inventory }));
      expect(error).toBeInstanceOf(AnsibleHostsFailedError);
      const failed = error as AnsibleHostsFailedError;
      expect(failed.code).toBe('LEV_ERR_ANSIBLE_HOSTS_FAILED');
      expect(failed.exitCode).toBe(AnsibleExitCode.HostsFailed);
      expect(failed.result?.failedHosts).toEqual(['bad']);
      const [failTask, after] = failed.result!.plays[0]!.tasks;
      expect(failTask?.hosts.bad).toMatchObject({ status: 'failed', msg: 'bad is broken' });
      expect(failTask?.hosts.good?.status).toBe('skipped');
      // The failed host is out of the play; the other goes on.
      expect(Object.keys(after?.hosts ?? {})).toEqual(['good']);
    });

    it('resolves when failures are ignored or rescued, and marks the ignored one', async () => {
      const result = await runPlaybook({ playbook: fixture('ignored.yml'), inventory });
      const [ignored, rescued, rescue, loop] = result.plays[0]!.tasks;
      // The JSON callback prints both failures alike; the progress plugin tells which was ignored.
      expect(ignored?.hosts.good).toMatchObject({ status: 'ignored', rc: 1 });
      expect(rescued?.hosts.good).toMatchObject({ status: 'failed', msg: 'rescued failure' });
      expect(rescue?.hosts.good?.msg).toBe('rescued');
      expect(loop?.hosts.good?.raw.results).toHaveLength(2);
      expect(result.stats.good).toMatchObject({ failures: 0, ignored: 1, rescued: 1 });
      expect(result.failedHosts).toEqual([]);
    });

    it('rejects with AnsibleHostsUnreachableError when a host cannot be reached', async () => {
      const error = await rejection(
        runPlaybook({ playbook: fixture('ping.yml'), inventory: fixture('unreachable.ini') }),
      );
      expect(error).toBeInstanceOf(AnsibleHostsUnreachableError);
      const unreachable = error as AnsibleHostsUnreachableError;
      expect(unreachable.exitCode).toBe(AnsibleExitCode.UnreachableOrParserError);
      expect(unreachable.result?.unreachableHosts).toEqual(['ghost']);
      expect(unreachable.result?.plays[0]?.tasks[0]?.hosts.ghost?.status).toBe('unreachable');
    });

    it('tells a playbook syntax error (also exit 4) apart from unreachable hosts', async () => {
      const error = await rejection(runPlaybook({ playbook: fixture('syntax-error.playbook'), inventory }));
      expect(error).toBeInstanceOf(AnsibleParseError);
      const parse = error as AnsibleParseError;
      expect(parse.exitCode).toBe(4);
      expect(parse.result).toBeUndefined();
      expect(parse.message).toMatch(/Syntax Error while loading YAML/);
    });

    it('reports a missing playbook as a run failure with Ansible message', async () => {
      const error = await rejection(runPlaybook({ playbook: join(scratch, 'missing.yml'), inventory }));
      expect(error).toBeInstanceOf(AnsibleRunFailedError);
      expect((error as AnsibleRunFailedError).message).toMatch(/could not be found/);
    });

    it('changes nothing in check mode and shows the diff in diff mode', async () => {
      const target = join(scratch, 'check-mode.txt');
      const result = await runPlaybook({
        playbook: fixture('write-file.yml'),
        inventory,
        extraVars: { target, content: 'from check mode' },
        check: true,
        diff: true,
      });
      const host = result.plays[0]!.tasks[0]!.hosts.good!;
      expect(host.status).toBe('changed');
      expect(existsSync(target)).toBe(false);
      expect(JSON.stringify(host.raw.diff)).toContain('from check mode');

      const real = await runPlaybook({
        playbook: fixture('write-file.yml'),
        inventory,
        extraVars: { target, content: 'for real' },
      });
      expect(real.changed).toBe(true);
      expect(readFileSync(target, 'utf8')).toBe('for real\n');
    });

    it('runs only the tagged tasks with tags and skips with skipTags', async () => {
      const names = (r: Awaited<ReturnType<typeof runPlaybook>>) => r.plays[0]!.tasks.map((t) => t.name);
      expect(
        names(await runPlaybook({ playbook: fixture('tags.yml'), inventory, tags: ['deploy'] })),
      ).toEqual(['deploy step']);
      expect(
        names(await runPlaybook({ playbook: fixture('tags.yml'), inventory, skipTags: ['build'] })),
      ).toEqual(['deploy step', 'untagged step']);
    });

    it('passes extra vars with quotes, newlines, JSON and shell characters unchanged', async () => {
      const payload = {
        name: `it's "quoted" \\ back`,
        nested: { list: [1, 2.5, true, null], empty: '' },
        shell: '$(touch /tmp/leviathan-pwned) `id` ; | & > <',
        jinja: 'literal {% raw %}{{ not_templated }}{% endraw %}',
        unicode: 'é ✓ 🐉',
      };
      const quoted = `--limit=all' -e "x=1"\nsecond line`;
      const before = { ...process.env };
      const result = await runPlaybook({
        playbook: fixture('echo-vars.yml'),
        inventory,
        extraVars: { payload, quoted },
        env: { LEV_TEST_VALUE: 'from the child env' },
      });
      const [echo, echoQuoted, echoEnv] = result.plays[0]!.tasks;
      const { jinja: _jinja, ...plain } = payload;
      expect(JSON.parse(echo!.hosts.good!.msg!)).toMatchObject(plain);
      expect(echoQuoted!.hosts.good!.msg).toBe(quoted);
      expect(echoEnv!.hosts.good!.msg).toBe('from the child env');
      expect(process.env).toEqual(before);
      expect(existsSync('/tmp/leviathan-pwned')).toBe(false);
    });

    it('decrypts vaulted files with the vault password file, and fails without it', async () => {
      const result = await runPlaybook({
        playbook: fixture('vault.yml'),
        inventory,
        vaultPasswordFile: fixture('vault-password.txt'),
      });
      expect(result.plays[0]!.tasks[0]!.hosts.good!.msg).toBe('secret is swordfish');

      const error = await rejection(runPlaybook({ playbook: fixture('vault.yml'), inventory }));
      expect(error).toBeInstanceOf(AnsibleRunFailedError);
      expect((error as AnsibleRunFailedError).message).toMatch(/vault/i);
    });

    it('reports progress per task while the run goes, in order, before the result', async () => {
      const events: AnsibleProgressEvent[] = [];
      const result = await runPlaybook({
        playbook: [fixture('ok.yml'), fixture('changed.yml')],
        inventory,
        onProgress: (e) => events.push(e),
      });
      const summary = events.map((e) => {
        if (e.type === 'task-start') return `start ${e.task.name}`;
        if (e.type === 'host-result') return `${e.status} ${e.host} ${e.task.name}`;
        if (e.type === 'play-start') return `play ${e.play.name}`;
        return e.type;
      });
      expect(summary.filter((s) => !s.startsWith('ok ') && !s.startsWith('changed '))).toEqual([
        'playbook-start',
        'play greet',
        'start say hello',
        'start look without changing',
        // One recap per playbook file.
        'stats',
        'playbook-start',
        'play change something',
        'start run a command',
        'stats',
      ]);
      // Every host result comes after its task started and before the next task starts.
      const start = summary.indexOf('start look without changing');
      expect(summary.indexOf('ok good say hello')).toBeLessThan(start);
      expect(summary.indexOf('ok bad say hello')).toBeLessThan(start);
      expect(summary).toContain('changed good run a command');
      const stats = events.at(-1);
      expect(stats?.type === 'stats' && stats.stats.good).toMatchObject({ ok: 3, changed: 1 });
      expect(result.plays).toHaveLength(2);
    });

    it('keeps concurrent runs apart: each gets its own result and its own progress', async () => {
      const a: string[] = [];
      const b: string[] = [];
      const [first, second] = await Promise.all([
        runPlaybook({
          playbook: fixture('ok.yml'),
          inventory,
          limit: 'good',
          onProgress: (e) => a.push(e.type),
        }),
        runPlaybook({
          playbook: fixture('changed.yml'),
          inventory,
          limit: 'bad',
          onProgress: (e) => e.type === 'task-start' && b.push(e.task.name),
        }),
      ]);
      expect(Object.keys(first.stats)).toEqual(['good']);
      expect(Object.keys(second.stats)).toEqual(['bad']);
      expect(a.filter((t) => t === 'task-start')).toHaveLength(2);
      expect(b).toEqual(['run a command']);
    });

    it('uses an Inventory built in code', async () => {
      const built = new InventoryBuilder()
        .host('alpha', { ansible_connection: 'local', greeting: 'built in code' }, ['app'])
        .group('all', { ansible_python_interpreter: '{{ ansible_playbook_python }}' })
        .build();
      const result = await runAdHoc({
        pattern: 'app',
        module: 'ansible.builtin.debug',
        args: { msg: '{{ greeting }}' },
        inventory: built,
      });
      expect(result.plays[0]?.name).toBe('Ansible Ad-Hoc');
      expect(result.plays[0]?.tasks[0]?.hosts.alpha?.msg).toBe('built in code');
    });

    it('kills the whole process group when aborted', async () => {
      const pidFile = join(scratch, 'abort.pid');
      const controller = new AbortController();
      const run = runPlaybook({
        playbook: fixture('sleep.yml'),
        inventory,
        extraVars: { pid_file: pidFile },
        signal: controller.signal,
      });
      await waitFor(
        'the task to start its sleep',
        () => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '',
      );
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(isAlive(pid)).toBe(true);
      controller.abort(new Error('operator cancelled'));
      const error = await rejection(run);
      expect(error).toBeInstanceOf(AnsibleAbortedError);
      expect((error as AnsibleAbortedError).cause).toEqual(new Error('operator cancelled'));
      await waitFor('the sleeping grandchild to die', () => !isAlive(pid));
    });

    it('kills a group member that ignores SIGTERM once the leader has exited, not after the grace', async () => {
      const pidFile = join(scratch, 'ignoring.pid');
      const controller = new AbortController();
      const run = runPlaybook({
        playbook: fixture('sleep-ignoring-term.yml'),
        inventory,
        extraVars: { pid_file: pidFile },
        signal: controller.signal,
        // Longer than the wait below: only the SIGKILL sent when the leader exits can pass it.
        killGraceMs: 120_000,
      });
      await waitFor(
        'the task to start its sleep',
        () => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '',
      );
      const pid = Number(readFileSync(pidFile, 'utf8'));
      controller.abort();
      expect(await rejection(run)).toBeInstanceOf(AnsibleAbortedError);
      await waitFor('the TERM-ignoring grandchild to die', () => !isAlive(pid));
    });

    it('kills the run after timeoutMs', async () => {
      const pidFile = join(scratch, 'timeout.pid');
      const error = await rejection(
        runPlaybook({
          playbook: fixture('sleep.yml'),
          inventory,
          extraVars: { pid_file: pidFile },
          // The task sleeps 300 s: any timeout well below that proves the kill.
          timeoutMs: 3_000,
        }),
      );
      expect(error).toBeInstanceOf(AnsibleTimeoutError);
      expect((error as AnsibleTimeoutError).code).toBe('LEV_ERR_ANSIBLE_TIMEOUT');
      if (existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '') {
        const pid = Number(readFileSync(pidFile, 'utf8'));
        await waitFor('the sleeping grandchild to die', () => !isAlive(pid));
      }
    });

    it('rejects an already aborted signal without starting Ansible', async () => {
      const error = await rejection(
        runPlaybook({ playbook: fixture('ok.yml'), inventory, signal: AbortSignal.abort('no') }),
      );
      expect(error).toBeInstanceOf(AnsibleAbortedError);
    });

    it('stops the run and rejects with the error when onProgress throws', async () => {
      const boom = new Error('progress consumer failed');
      const error = await rejection(
        runPlaybook({
          playbook: fixture('ok.yml'),
          inventory,
          onProgress: (e) => {
            if (e.type === 'task-start') throw boom;
          },
        }),
      );
      expect(error).toBe(boom);
    });

    it('reports a missing executable as AnsibleNotFoundError', async () => {
      const error = await rejection(
        runPlaybook({ playbook: fixture('ok.yml'), inventory, command: 'ansible-playbook-not-installed' }),
      );
      expect(error).toBeInstanceOf(AnsibleNotFoundError);
    });
  },
);

describe.skipIf(!hasTool('ansible', 'ansible'))(
  'runAdHoc against the real ansible',
  { timeout: 90_000 },
  () => {
    it('runs a module with key=value arguments on a limited pattern, reporting progress', async () => {
      const events: string[] = [];
      const result = await runAdHoc({
        pattern: 'web',
        limit: 'good',
        module: 'ansible.builtin.command',
        args: 'echo ad-hoc',
        inventory,
        onProgress: (e) => events.push(e.type === 'host-result' ? `${e.status} ${e.host}` : e.type),
      });
      expect(result.plays[0]!.tasks[0]!.hosts.good).toMatchObject({ status: 'changed', stdout: 'ad-hoc' });
      expect(Object.keys(result.stats)).toEqual(['good']);
      expect(events).toEqual(['playbook-start', 'play-start', 'task-start', 'changed good', 'stats']);
    });

    it('reports options Ansible rejects (exit 5) as AnsibleUsageError', async () => {
      const error = await rejection(
        runAdHoc({ pattern: 'web', module: 'ansible.builtin.command', inventory }),
      );
      expect(error).toBeInstanceOf(AnsibleUsageError);
      expect((error as AnsibleUsageError).exitCode).toBe(AnsibleExitCode.OptionsError);
    });
  },
);
