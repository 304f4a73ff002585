import { delimiter } from 'node:path';
import { PROGRESS_CALLBACK_NAME, PROGRESS_FD_ENV } from './progress-callback-plugin.js';

/** The descriptor number the progress pipe gets in the child (stdio index 3). */
export const PROGRESS_FD = 3;

/**
 * The child's environment, as a new object: `process.env` is read (when `inherit`), never
 * written. Our settings go last, except that a caller's callback plugin paths and enabled
 * callbacks are kept and ours added to them.
 */
export function buildAnsibleEnv(options: {
  readonly inherit: boolean;
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  readonly pluginDir: string;
}): Record<string, string> {
  const env: Record<string, string> = {};
  if (options.inherit) {
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const pluginPaths = [options.pluginDir, ...(env.ANSIBLE_CALLBACK_PLUGINS ?? '').split(delimiter)];
  const enabled = [...(env.ANSIBLE_CALLBACKS_ENABLED ?? '').split(','), PROGRESS_CALLBACK_NAME];
  Object.assign(env, {
    // The JSON document on stdout is the run's result.
    ANSIBLE_STDOUT_CALLBACK: 'json',
    // The ad-hoc `ansible` command ignores callback plugins unless told (bin_ansible_callbacks).
    ANSIBLE_LOAD_CALLBACK_PLUGINS: '1',
    ANSIBLE_CALLBACK_PLUGINS: pluginPaths.filter((p) => p !== '').join(delimiter),
    ANSIBLE_CALLBACKS_ENABLED: [...new Set(enabled.map((c) => c.trim()).filter((c) => c !== ''))].join(','),
    [PROGRESS_FD_ENV]: String(PROGRESS_FD),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    // A run driven from code has no use for `.retry` files next to the playbook.
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    PYTHONUNBUFFERED: '1',
  });
  return env;
}
