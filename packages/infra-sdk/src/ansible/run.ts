import { buildAnsibleEnv } from './child-env.js';
import { adHocArgs, playbookArgs } from './command-line.js';
import { judgeRun } from './exit-status.js';
import type { AdHocOptions, AnsibleRunOptions, PlaybookOptions } from './options.js';
import type { AnsibleRunResult } from './result.js';
import { createRunDir } from './run-dir.js';
import { spawnAnsible } from './spawn-ansible.js';

const DEFAULT_TIMEOUT_MS = 3_600_000;
const DEFAULT_KILL_GRACE_MS = 5_000;
const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

async function run(
  command: string,
  options: AnsibleRunOptions,
  buildArgs: (files: { extraVarsFile: string | undefined; inventoryFile: string | undefined }) => string[],
): Promise<AnsibleRunResult> {
  const dir = await createRunDir({ extraVars: options.extraVars, inventory: options.inventory });
  try {
    const args = buildArgs(dir);
    const env = buildAnsibleEnv({
      inherit: options.inheritEnv ?? true,
      env: options.env,
      pluginDir: dir.pluginDir,
    });
    const finished = await spawnAnsible({
      command,
      args,
      env,
      cwd: options.cwd,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    return judgeRun(finished);
  } finally {
    await dir.remove();
  }
}

/**
 * Runs `ansible-playbook` and resolves with its typed result. Rejects with
 * AnsibleHostsFailedError / AnsibleHostsUnreachableError (both carry the `result`),
 * AnsibleParseError, AnsibleUsageError, AnsibleRunFailedError, AnsibleTimeoutError,
 * AnsibleAbortedError or AnsibleNotFoundError.
 *
 * @example
 * const result = await runPlaybook({
 *   playbook: 'deploy.yml',
 *   inventory: 'hosts.ini',
 *   extraVars: { release: '1.4.2' },
 *   onProgress: (e) => e.type === 'task-start' && console.log(e.task.name),
 * });
 */
export function runPlaybook(options: PlaybookOptions): Promise<AnsibleRunResult> {
  return run(options.command ?? 'ansible-playbook', options, (files) => playbookArgs(options, files));
}

/**
 * Runs one module on the hosts matching a pattern with the ad-hoc `ansible` command; the result
 * has one play ("Ansible Ad-Hoc") with one task. Rejects like runPlaybook.
 */
export function runAdHoc(options: AdHocOptions): Promise<AnsibleRunResult> {
  return run(options.command ?? 'ansible', options, (files) => adHocArgs(options, files));
}
