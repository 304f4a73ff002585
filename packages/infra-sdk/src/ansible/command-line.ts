import { resolve } from 'node:path';
import { AnsibleInvalidOptionError } from './errors.js';
import type { AdHocOptions, AnsibleRunOptions, PlaybookOptions } from './options.js';

/** Files the run's private directory provides to the command line. */
export interface RunFiles {
  /** The JSON file holding `extraVars`, when there are any. */
  readonly extraVarsFile: string | undefined;
  /** The inventory written from an Inventory object, when one was given. */
  readonly inventoryFile: string | undefined;
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** Rejects what would change meaning on the way to Ansible: a comma inside one tag, a NUL, a newline. */
function checkItems(option: string, items: readonly string[], allowComma: boolean): void {
  for (const item of items) {
    if (item === '' || /[\0\n\r]/.test(item) || (!allowComma && item.includes(','))) {
      throw new AnsibleInvalidOptionError(`${option}: ${JSON.stringify(item)} is not a valid entry`);
    }
  }
}

/**
 * Options are passed as `--name=value`, one argv element each, never through a shell: a value
 * that starts with `-` cannot be taken for another option.
 */
function commonArgs(options: AnsibleRunOptions, files: RunFiles): string[] {
  const args: string[] = [];
  if (files.inventoryFile !== undefined) {
    args.push(`--inventory=${files.inventoryFile}`);
  } else if (typeof options.inventory === 'string' || Array.isArray(options.inventory)) {
    const paths = list(options.inventory as string | readonly string[]);
    checkItems('inventory', paths, true);
    for (const path of paths) args.push(`--inventory=${path}`);
  }
  const limit = list(options.limit);
  if (limit.length > 0) {
    checkItems('limit', limit, false);
    args.push(`--limit=${limit.join(',')}`);
  }
  if (files.extraVarsFile !== undefined) args.push(`--extra-vars=@${files.extraVarsFile}`);
  for (const file of options.extraVarsFiles ?? []) {
    checkItems('extraVarsFiles', [file], true);
    args.push(`--extra-vars=@${resolve(options.cwd ?? '.', file)}`);
  }
  if (options.check) args.push('--check');
  if (options.diff) args.push('--diff');
  if (options.vaultPasswordFile !== undefined) {
    checkItems('vaultPasswordFile', [options.vaultPasswordFile], true);
    args.push(`--vault-password-file=${options.vaultPasswordFile}`);
  }
  for (const id of options.vaultIds ?? []) {
    checkItems('vaultIds', [id], true);
    args.push(`--vault-id=${id}`);
  }
  if (options.privateKey !== undefined) {
    checkItems('privateKey', [options.privateKey], true);
    args.push(`--private-key=${options.privateKey}`);
  }
  if (options.remoteUser !== undefined) {
    checkItems('remoteUser', [options.remoteUser], false);
    args.push(`--user=${options.remoteUser}`);
  }
  if (options.connection !== undefined) {
    checkItems('connection', [options.connection], false);
    args.push(`--connection=${options.connection}`);
  }
  if (options.forks !== undefined) {
    if (!Number.isInteger(options.forks) || options.forks < 1) {
      throw new AnsibleInvalidOptionError(`forks must be a positive integer, got ${options.forks}`);
    }
    args.push(`--forks=${options.forks}`);
  }
  if (options.become) args.push('--become');
  return args;
}

/** The argv (without the executable) of `ansible-playbook`. */
export function playbookArgs(options: PlaybookOptions, files: RunFiles): string[] {
  const playbooks = list(options.playbook);
  if (playbooks.length === 0) throw new AnsibleInvalidOptionError('no playbook given');
  checkItems('playbook', playbooks, true);
  const args = commonArgs(options, files);
  const tags = options.tags ?? [];
  if (tags.length > 0) {
    checkItems('tags', tags, false);
    args.push(`--tags=${tags.join(',')}`);
  }
  const skip = options.skipTags ?? [];
  if (skip.length > 0) {
    checkItems('skipTags', skip, false);
    args.push(`--skip-tags=${skip.join(',')}`);
  }
  // Absolute paths never start with '-', so they cannot be read as options.
  for (const playbook of playbooks) args.push(resolve(options.cwd ?? '.', playbook));
  return args;
}

/** The argv (without the executable) of the ad-hoc `ansible` command. */
export function adHocArgs(options: AdHocOptions, files: RunFiles): string[] {
  checkItems('pattern', [options.pattern], true);
  checkItems('module', [options.module], false);
  const args = commonArgs(options, files);
  args.push(`--module-name=${options.module}`);
  if (options.args !== undefined) {
    let text: string;
    if (typeof options.args === 'string') {
      text = options.args;
    } else {
      try {
        text = JSON.stringify(options.args);
      } catch (error) {
        throw new AnsibleInvalidOptionError('args cannot be serialised as JSON', { cause: error });
      }
    }
    args.push(`--args=${text}`);
  }
  // `--` ends the options: a pattern such as `-x` stays a pattern.
  args.push('--', options.pattern);
  return args;
}
