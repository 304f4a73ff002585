import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnsibleHostsFailedError, type AnsibleRunResult, runPlaybook } from '@leviathan/infra-sdk';
import { expect } from 'vitest';
import { ANSIBLE_DIR } from '../repo-paths.js';

type PlaybookOptions = Parameters<typeof runPlaybook>[0];

/** What failed in a run, one line per failed task and host: its message and output tails. */
export function describeFailures(result: AnsibleRunResult): string {
  const lines: string[] = [];
  for (const play of result.plays) {
    for (const task of play.tasks) {
      for (const [host, r] of Object.entries(task.hosts)) {
        if (r.status !== 'failed' && r.status !== 'unreachable') continue;
        const tail = (s: string | undefined) => (s ?? '').slice(-1500);
        lines.push(
          `${task.name} on ${host}: ${r.msg ?? ''}\n  stdout: ${tail(r.stdout)}\n  stderr: ${tail(r.stderr)}`,
        );
      }
    }
  }
  return lines.join('\n');
}

/** runPlaybook, with the failed tasks' messages in the error (the SDK's error says which hosts). */
export async function applyPlaybook(options: PlaybookOptions): Promise<AnsibleRunResult> {
  try {
    return await runPlaybook(options);
  } catch (error) {
    const result = (error as { result?: AnsibleRunResult }).result;
    if (result === undefined) throw error;
    // Not chained as `cause`: vitest would print the whole result, facts included.
    const code = (error as { code?: string }).code ?? '';
    throw new Error(`${code} ${(error as Error).message}\n${describeFailures(result)}`);
  }
}

/** Where the role tests find the repository's roles. */
export const ROLES_ENV = { ANSIBLE_ROLES_PATH: join(ANSIBLE_DIR, 'roles') };

type TaskResults = AnsibleRunResult['plays'][number]['tasks'];

/**
 * Runs `playbook` on localhost (connection local, the repository's roles), which must fail on a
 * task: the tasks that ran, in order, the failed one last.
 */
export async function refusedRunTasks(
  playbook: string,
  extraVars: Record<string, unknown>,
  cwd: string,
): Promise<TaskResults> {
  const err = await runPlaybook({
    playbook,
    inventory: 'localhost,',
    connection: 'local',
    extraVars,
    cwd,
    env: ROLES_ENV,
    timeoutMs: 120_000,
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AnsibleHostsFailedError);
  return (err as AnsibleHostsFailedError).result?.plays.flatMap((p) => p.tasks) ?? [];
}

/**
 * Writes to `path` a playbook for localhost (no facts) that includes one role's tasks: its
 * tasks/main.yml, or `tasksFrom` alone (a role's configuration or guard without its installs).
 */
export function writeRoleTasksPlaybook(path: string, role: string, tasksFrom?: string): string {
  const include = ['    - ansible.builtin.include_role:', `        name: ${role}`];
  if (tasksFrom !== undefined) include.push(`        tasks_from: ${tasksFrom}`);
  writeFileSync(path, ['- hosts: localhost', '  gather_facts: false', '  tasks:', ...include, ''].join('\n'));
  return path;
}
