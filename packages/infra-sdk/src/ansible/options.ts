import type { Inventory } from './inventory/inventory.js';
import type { AnsibleProgressEvent } from './progress.js';

/** Options shared by playbook runs and ad-hoc commands. */
export interface AnsibleRunOptions {
  /**
   * Inventory paths (files, directories, `host1,host2,` lists) or an Inventory built in code,
   * which is written to the run's private directory as YAML.
   */
  readonly inventory?: string | readonly string[] | Inventory;
  /** Host patterns to limit the run to (`--limit`), e.g. `['web', '!web3']`. */
  readonly limit?: string | readonly string[];
  /**
   * Extra variables. Written as JSON to a 0600 file in the run's private directory and passed as
   * `--extra-vars @file`: no quoting issue whatever the values hold, and nothing shows in `ps`.
   */
  readonly extraVars?: Readonly<Record<string, unknown>>;
  /** Extra-vars files (YAML or JSON) passed as `--extra-vars @path`, after `extraVars`. */
  readonly extraVarsFiles?: readonly string[];
  /** Check mode (`--check`): report what would change, change nothing. @default false */
  readonly check?: boolean;
  /** Diff mode (`--diff`): results carry `diff`. @default false */
  readonly diff?: boolean;
  /** `--vault-password-file`. */
  readonly vaultPasswordFile?: string;
  /** `--vault-id` entries such as `prod@/path/to/file`. */
  readonly vaultIds?: readonly string[];
  /** `--private-key` for SSH connections. */
  readonly privateKey?: string;
  /** `--user` for SSH connections. */
  readonly remoteUser?: string;
  /** `--connection` (e.g. `local`, `ssh`). */
  readonly connection?: string;
  /** `--forks`: hosts worked on in parallel. @default Ansible's own (5) */
  readonly forks?: number;
  /** `--become`. @default false */
  readonly become?: boolean;
  /** Working directory of the child. @default process.cwd() */
  readonly cwd?: string;
  /**
   * Variables added to the child's environment (undefined removes one). The environment is
   * built as a new object; `process.env` is never modified.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Start from a copy of `process.env` (PATH, HOME, SSH_AUTH_SOCK, ...). @default true */
  readonly inheritEnv?: boolean;
  /** Kill the run after this many milliseconds. 0 disables. @default 3_600_000 (one hour) */
  readonly timeoutMs?: number;
  /** After SIGTERM, how long to wait before SIGKILL, in milliseconds. @default 5_000 */
  readonly killGraceMs?: number;
  /** Aborting kills the child's whole process group. */
  readonly signal?: AbortSignal;
  /**
   * Called for each event while the run goes. If it throws, the run is killed and the promise
   * rejects with that error.
   */
  readonly onProgress?: (event: AnsibleProgressEvent) => void;
  /** Largest stdout kept, in bytes; past it the run fails with LEV_ERR_ANSIBLE_OUTPUT_INVALID. @default 268_435_456 (256 MiB) */
  readonly maxOutputBytes?: number;
}

export interface PlaybookOptions extends AnsibleRunOptions {
  /** The playbook file(s), run in order by one `ansible-playbook`. */
  readonly playbook: string | readonly string[];
  /** Only tasks with these tags (`--tags`). */
  readonly tags?: readonly string[];
  /** Skip tasks with these tags (`--skip-tags`). */
  readonly skipTags?: readonly string[];
  /** The `ansible-playbook` executable. @default 'ansible-playbook' */
  readonly command?: string;
}

export interface AdHocOptions extends AnsibleRunOptions {
  /** The host pattern, e.g. `all` or `web:&eu`. */
  readonly pattern: string;
  /** The module, e.g. `ansible.builtin.ping`. */
  readonly module: string;
  /** Module arguments: `key=value` text, or an object passed as JSON. */
  readonly args?: string | Readonly<Record<string, unknown>>;
  /** The `ansible` executable. @default 'ansible' */
  readonly command?: string;
}
