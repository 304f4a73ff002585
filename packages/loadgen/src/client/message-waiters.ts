import type { ServerMessage } from '@leviathan/protocol';
import { TimeoutError } from '../errors.js';
import type { Counter } from '../metrics/registry.js';
import type { MessageOf, ServerType } from './session-options.js';

interface Waiter {
  types: readonly string[];
  filter: ((m: never) => boolean) | undefined;
  resolve: (m: ServerMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A session's waits for a message of some type (`waitFor`: `auth-ok`, a `bye`) and its listeners
 * (`on`), matched by type rather than by request id. Apart from the request/reply path, which the
 * session keeps in its own fields. A session makes this on its first wait or listener (its login,
 * for nearly every session), and the listeners' map only on the first `on`.
 */
export class MessageWaiters {
  readonly #timeouts: Counter;
  readonly #waiters: Waiter[] = [];
  #listeners: Map<string, Set<(m: ServerMessage) => void>> | undefined;

  /** `timeouts` counts the waits that ran out. */
  constructor(timeouts: Counter) {
    this.#timeouts = timeouts;
  }

  /** Whether a wait is pending (a close then counts as an error). */
  get waiting(): boolean {
    return this.#waiters.length > 0;
  }

  /** Resolves with the next message of one of `types` that passes `filter`; rejects after `timeoutMs`. */
  waitFor<T extends ServerType>(
    types: readonly T[],
    timeoutMs: number,
    filter: ((message: MessageOf<T>) => boolean) | undefined,
  ): Promise<MessageOf<T>> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        types,
        filter: filter as ((m: never) => boolean) | undefined,
        resolve: resolve as (m: ServerMessage) => void,
        reject,
        timer: setTimeout(() => {
          const i = this.#waiters.indexOf(waiter);
          if (i !== -1) this.#waiters.splice(i, 1);
          this.#timeouts.add(1);
          reject(new TimeoutError(`waiting for ${types.join(' or ')}`, timeoutMs));
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Calls `listener` for every message of `type`; returns a function that removes it. */
  on<T extends ServerType>(type: T, listener: (message: MessageOf<T>) => void): () => void {
    this.#listeners ??= new Map();
    let set = this.#listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener as (m: ServerMessage) => void);
    return () => set.delete(listener as (m: ServerMessage) => void);
  }

  /** Ends the first wait that `m` matches, then calls the listeners of its type. */
  deliver(m: ServerMessage): void {
    const waiters = this.#waiters;
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i] as Waiter;
      if (
        w.types.includes(m.type) &&
        (w.filter === undefined || (w.filter as (x: ServerMessage) => boolean)(m))
      ) {
        waiters.splice(i, 1);
        clearTimeout(w.timer);
        w.resolve(m);
        break;
      }
    }
    const set = this.#listeners?.get(m.type);
    if (set !== undefined) for (const l of set) l(m);
  }

  /** Rejects every pending wait with `err`. */
  failAll(err: Error): void {
    for (const w of this.#waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
  }
}
