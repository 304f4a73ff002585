import { EventEmitter } from 'node:events';
import { formatUpid } from '../proxmox/upid.js';

/** How a simulated task ends. */
export interface TaskOutcome {
  /** `OK`, `WARNINGS: N`, or an error message. @default 'OK' */
  readonly exitstatus?: string;
  /** Extra log lines written before the end. */
  readonly log?: readonly string[];
  /**
   * How long the task runs, in milliseconds of real time.
   * @default the simulator's `taskDurationMs`
   */
  readonly durationMs?: number;
}

/** Selects tasks for an outcome: by type (`qmclone`, `qmstart`, ...) and/or the id (VMID). */
export interface TaskMatcher {
  readonly type?: string;
  readonly id?: string | number;
}

export interface SimTask {
  readonly upid: string;
  readonly node: string;
  readonly type: string;
  readonly id: string;
  readonly user: string;
  readonly starttime: number;
  status: 'running' | 'stopped';
  exitstatus: string | undefined;
  readonly log: string[];
}

interface Rule {
  readonly matcher: TaskMatcher;
  readonly outcome: TaskOutcome;
  remaining: number;
}

/**
 * Tasks that take time: each gets a UPID, runs for `durationMs` (or until released when tasks are
 * held), then ends with its outcome and runs its effect on the simulated cluster.
 */
export class SimTasks extends EventEmitter {
  readonly #tasks = new Map<string, SimTask>();
  readonly #rules: Rule[] = [];
  readonly #held = new Map<string, () => void>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #pid = 1000;
  #hold = false;
  readonly #durationMs: number;
  readonly #now: () => number;

  constructor(durationMs: number, now: () => number) {
    super();
    this.#durationMs = durationMs;
    this.#now = now;
  }

  /** The next `times` tasks that match end with `outcome`. */
  setOutcome(matcher: TaskMatcher, outcome: TaskOutcome, times = 1): void {
    this.#rules.push({ matcher, outcome, remaining: times });
  }

  /** While held, tasks stay running until `release()`; for tests of waits and locks. */
  hold(on = true): void {
    this.#hold = on;
  }

  /** Ends a held task (or every held task without an argument). */
  release(upid?: string): void {
    for (const [id, finish] of [...this.#held]) {
      if (upid === undefined || id === upid) {
        this.#held.delete(id);
        finish();
      }
    }
  }

  get(upid: string): SimTask | undefined {
    return this.#tasks.get(upid);
  }

  all(): SimTask[] {
    return [...this.#tasks.values()];
  }

  /**
   * Starts a task. `effect` runs when it ends, with whether it succeeded; `onStart` work must be
   * done by the caller before (e.g. taking a lock). `failWith` makes it a worker that dies at its
   * first check (Proxmox checks snapshot names and locks inside the worker, after the UPID is
   * answered): it ends at once with that message, held or not, and takes no outcome rule.
   */
  start(
    node: string,
    type: string,
    id: string,
    user: string,
    effect: (ok: boolean) => void,
    failWith?: string,
  ): SimTask {
    if (failWith !== undefined)
      return this.#run(node, type, id, user, effect, { exitstatus: failWith }, true);
    const rule = this.#rules.find(
      (r) =>
        r.remaining > 0 &&
        (r.matcher.type === undefined || r.matcher.type === type) &&
        (r.matcher.id === undefined || String(r.matcher.id) === id),
    );
    if (rule) rule.remaining--;
    return this.#run(node, type, id, user, effect, rule?.outcome ?? {}, false);
  }

  #run(
    node: string,
    type: string,
    id: string,
    user: string,
    effect: (ok: boolean) => void,
    outcome: TaskOutcome,
    immediate: boolean,
  ): SimTask {
    const starttime = Math.floor(this.#now() / 1000);
    const pid = this.#pid++;
    const upid = formatUpid({ node, pid, pstart: pid * 7, starttime, type, id, user });
    const task: SimTask = {
      upid,
      node,
      type,
      id,
      user,
      starttime,
      status: 'running',
      exitstatus: undefined,
      log: [],
    };
    task.log.push(`starting task ${upid}`);
    this.#tasks.set(upid, task);
    const finish = (): void => {
      const exitstatus = outcome.exitstatus ?? 'OK';
      for (const line of outcome.log ?? []) task.log.push(line);
      const ok = exitstatus === 'OK' || /^WARNINGS: \d+$/.test(exitstatus);
      if (!ok) task.log.push(`TASK ERROR: ${exitstatus}`);
      else task.log.push(exitstatus === 'OK' ? 'TASK OK' : `TASK ${exitstatus}`);
      effect(ok);
      task.status = 'stopped';
      task.exitstatus = exitstatus;
      this.emit('task-end', task);
    };
    if (this.#hold && !immediate) this.#held.set(upid, finish);
    else {
      const timer = setTimeout(
        () => {
          this.#timers.delete(timer);
          finish();
        },
        immediate ? 0 : (outcome.durationMs ?? this.#durationMs),
      );
      this.#timers.add(timer);
    }
    this.emit('task-start', task);
    return task;
  }

  /** Stops every timer (the server is closing). */
  dispose(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#held.clear();
  }
}
