import type { HostStats, HostTaskStatus } from './result.js';

/** A task as the progress events name it. */
export interface ProgressTaskRef {
  readonly id: string;
  readonly name: string;
  readonly action: string;
}

/**
 * What a run reports while it goes, one event per line written by our callback plugin
 * (`leviathan_progress`) on a pipe of its own, so the JSON result on stdout stays untouched.
 */
export type AnsibleProgressEvent =
  | { readonly type: 'playbook-start'; readonly path: string }
  | { readonly type: 'play-start'; readonly play: { readonly id: string; readonly name: string } }
  | { readonly type: 'task-start'; readonly task: ProgressTaskRef; readonly handler: boolean }
  | {
      readonly type: 'host-result';
      readonly host: string;
      readonly status: HostTaskStatus;
      readonly task: ProgressTaskRef;
      readonly changed: boolean;
      readonly msg: string | undefined;
    }
  | { readonly type: 'stats'; readonly stats: Readonly<Record<string, HostStats>> };

const STATUSES = new Set<string>(['ok', 'changed', 'failed', 'ignored', 'skipped', 'unreachable']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function taskRef(value: unknown): ProgressTaskRef | undefined {
  if (!isObject(value)) return undefined;
  const { id, name, action } = value;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof action !== 'string') return undefined;
  return { id, name, action };
}

/** Parses one line of the plugin's output; undefined for anything that is not a known event. */
export function parseProgressLine(line: string): AnsibleProgressEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  switch (value.type) {
    case 'playbook-start':
      return typeof value.path === 'string' ? { type: 'playbook-start', path: value.path } : undefined;
    case 'play-start': {
      const play = value.play;
      if (!isObject(play) || typeof play.id !== 'string' || typeof play.name !== 'string') return undefined;
      return { type: 'play-start', play: { id: play.id, name: play.name } };
    }
    case 'task-start': {
      const task = taskRef(value.task);
      return task ? { type: 'task-start', task, handler: value.handler === true } : undefined;
    }
    case 'host-result': {
      const task = taskRef(value.task);
      const { host, status } = value;
      if (!task || typeof host !== 'string' || typeof status !== 'string' || !STATUSES.has(status)) {
        return undefined;
      }
      return {
        type: 'host-result',
        host,
        status: status as HostTaskStatus,
        task,
        changed: value.changed === true,
        msg: typeof value.msg === 'string' ? value.msg : undefined,
      };
    }
    case 'stats':
      return isObject(value.stats)
        ? { type: 'stats', stats: value.stats as Record<string, HostStats> }
        : undefined;
    default:
      return undefined;
  }
}
