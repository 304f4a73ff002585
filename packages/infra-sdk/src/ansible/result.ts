import { AnsibleOutputError } from './errors.js';

/** How one task ended on one host. `changed` is `ok` with a change; `ignored` a failure under `ignore_errors`. */
export type HostTaskStatus = 'ok' | 'changed' | 'failed' | 'ignored' | 'skipped' | 'unreachable';

/** One host's result for one task, normalised from what the JSON callback prints. */
export interface HostTaskResult {
  readonly host: string;
  readonly status: HostTaskStatus;
  /** The module or action, e.g. `ansible.builtin.command`. */
  readonly action: string;
  readonly changed: boolean;
  readonly msg: string | undefined;
  /** The command's exit code, for command-like modules. */
  readonly rc: number | undefined;
  readonly stdout: string | undefined;
  readonly stderr: string | undefined;
  /** The module's full return value as Ansible printed it (including `diff` in diff mode). */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface TaskResult {
  readonly id: string;
  readonly name: string;
  /** `file:line` of the task, where Ansible knows it (not for ad-hoc commands). */
  readonly path: string | undefined;
  /** ISO 8601 times as Ansible reports them. */
  readonly start: string | undefined;
  readonly end: string | undefined;
  /** Results by host name. */
  readonly hosts: Readonly<Record<string, HostTaskResult>>;
}

export interface PlayResult {
  readonly id: string;
  readonly name: string;
  readonly path: string | undefined;
  readonly start: string | undefined;
  readonly end: string | undefined;
  readonly tasks: readonly TaskResult[];
}

/** The recap line of one host (`ok=2 changed=1 unreachable=0 failed=0 ...`). */
export interface HostStats {
  readonly ok: number;
  readonly changed: number;
  readonly failures: number;
  readonly unreachable: number;
  readonly skipped: number;
  readonly rescued: number;
  readonly ignored: number;
}

/** What one `ansible-playbook` or `ansible` run produced. */
export interface AnsibleRunResult {
  readonly plays: readonly PlayResult[];
  /** The recap, by host name. */
  readonly stats: Readonly<Record<string, HostStats>>;
  /** Hosts with at least one failed task (not counting ignored failures), sorted. */
  readonly failedHosts: readonly string[];
  /** Hosts Ansible could not reach, sorted. */
  readonly unreachableHosts: readonly string[];
  /** Whether any task changed any host. */
  readonly changed: boolean;
  /** `set_stats` data, when the playbook sets any. */
  readonly customStats: Readonly<Record<string, unknown>>;
  /** `ansible-playbook`'s exit code (0 unless hosts failed or were unreachable). */
  readonly exitCode: number;
  /** Ansible's warnings and deprecations (stderr), for the record. */
  readonly stderr: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** `task id` NUL `host` of the failures Ansible ignored (`ignore_errors`), as the progress plugin saw them. */
export type IgnoredFailures = ReadonlySet<string>;

export function ignoredKey(taskId: string, host: string): string {
  return `${taskId}\0${host}`;
}

function hostStatus(raw: Json, ignored: boolean): HostTaskStatus {
  if (raw.unreachable === true) return 'unreachable';
  if (raw.failed === true) return ignored ? 'ignored' : 'failed';
  if (raw.skipped === true) return 'skipped';
  return raw.changed === true ? 'changed' : 'ok';
}

function duration(value: unknown): { start: string | undefined; end: string | undefined } {
  if (!isObject(value)) return { start: undefined, end: undefined };
  return { start: str(value.start), end: str(value.end) };
}

function parseHost(host: string, raw: Json, ignored: boolean): HostTaskResult {
  const rc = raw.rc;
  return {
    host,
    status: hostStatus(raw, ignored),
    action: str(raw.action) ?? '',
    changed: raw.changed === true,
    msg: str(raw.msg),
    rc: typeof rc === 'number' ? rc : undefined,
    stdout: str(raw.stdout),
    stderr: str(raw.stderr),
    raw,
  };
}

function parseTask(value: unknown, ignored: IgnoredFailures): TaskResult {
  if (!isObject(value) || !isObject(value.task)) throw new Error('a task entry without "task"');
  const id = str(value.task.id) ?? '';
  const hosts: Record<string, HostTaskResult> = {};
  if (isObject(value.hosts)) {
    for (const [host, raw] of Object.entries(value.hosts)) {
      if (isObject(raw)) hosts[host] = parseHost(host, raw, ignored.has(ignoredKey(id, host)));
    }
  }
  const path = str(value.task.path);
  return {
    id,
    name: str(value.task.name) ?? '',
    path: path === '' ? undefined : path,
    ...duration(value.task.duration),
    hosts,
  };
}

function parsePlay(value: unknown, ignored: IgnoredFailures): PlayResult {
  if (!isObject(value) || !isObject(value.play)) throw new Error('a play entry without "play"');
  const tasks = Array.isArray(value.tasks) ? value.tasks.map((t) => parseTask(t, ignored)) : [];
  const path = str(value.play.path);
  return {
    id: str(value.play.id) ?? '',
    name: str(value.play.name) ?? '',
    path: path === '' ? undefined : path,
    ...duration(value.play.duration),
    tasks,
  };
}

/**
 * Finds the JSON callback's document in stdout: the last indented object starting with `{` at
 * the beginning of a line. The callback prints one document per playbook file, each holding
 * every play so far, so the last is the whole run; anything another plugin printed before it (a
 * stray `display.display()`) is skipped rather than failing the run.
 */
function extractDocument(stdout: string): Json | undefined {
  const text = stdout.trim();
  if (text === '') return undefined;
  try {
    const doc: unknown = JSON.parse(text);
    return isObject(doc) ? doc : undefined;
  } catch {
    const at = text.lastIndexOf('\n{\n');
    if (at < 0) return undefined;
    try {
      const doc: unknown = JSON.parse(text.slice(at + 1));
      return isObject(doc) ? doc : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * Parses what the JSON callback (`ANSIBLE_STDOUT_CALLBACK=json`) printed. Returns undefined when
 * stdout holds no such document (Ansible stopped before running anything: a parse or usage
 * error); throws AnsibleOutputError when a document is there but not of the expected shape.
 *
 * The JSON callback prints an ignored failure (`ignore_errors: true`) exactly like a real one;
 * `ignored` (from our progress plugin, which Ansible tells) turns those into status `ignored`.
 */
export function parseJsonCallbackOutput(
  stdout: string,
  exitCode: number,
  stderr: string,
  ignored: IgnoredFailures = new Set(),
): AnsibleRunResult | undefined {
  const doc = extractDocument(stdout);
  if (doc === undefined) return undefined;
  if (!Array.isArray(doc.plays) || !isObject(doc.stats)) {
    if (stdout.trim() === '') return undefined;
    throw new AnsibleOutputError('the JSON callback output has no "plays" and "stats"');
  }
  let plays: PlayResult[];
  try {
    plays = doc.plays.map((p) => parsePlay(p, ignored));
  } catch (error) {
    throw new AnsibleOutputError('the JSON callback output is not of the expected shape', { cause: error });
  }
  const stats: Record<string, HostStats> = {};
  for (const [host, s] of Object.entries(doc.stats)) {
    if (!isObject(s)) continue;
    stats[host] = {
      ok: num(s.ok),
      changed: num(s.changed),
      failures: num(s.failures),
      unreachable: num(s.unreachable),
      skipped: num(s.skipped),
      rescued: num(s.rescued),
      ignored: num(s.ignored),
    };
  }
  const hosts = Object.keys(stats).sort();
  return {
    plays,
    stats,
    failedHosts: hosts.filter((h) => (stats[h]?.failures ?? 0) > 0),
    unreachableHosts: hosts.filter((h) => (stats[h]?.unreachable ?? 0) > 0),
    changed: hosts.some((h) => (stats[h]?.changed ?? 0) > 0),
    customStats: isObject(doc.custom_stats) ? doc.custom_stats : {},
    exitCode,
    stderr,
  };
}
