import { RpcClosedError, RpcRemoteError, RpcTimeoutError } from '../errors.js';

/**
 * The one request/reply helper between threads (main ↔ shard, main ↔ gateway). Each side of a
 * link describes what it serves as an `RpcApi`: `calls` answer (their result travels back),
 * `notes` are one-way. Messages are plain objects, so any endpoint with `postMessage` and a
 * `message` event carries them: a MessagePort, a Worker, `parentPort` (and, later, a socket
 * between processes with a serializer in front).
 *
 * Control traffic only: rare (startup, handoffs, directory deltas, metrics, shutdown). The
 * per-tick input and output batches between gateways and shards travel on their own ports.
 */
export interface RpcApi {
  // biome-ignore lint/suspicious/noExplicitAny: each method has its own argument and result types
  readonly calls: Record<string, (arg: any) => unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: each note has its own argument type
  readonly notes: Record<string, (arg: any) => void>;
}

/** Anything that carries structured-clonable messages both ways. */
export interface RpcEndpoint {
  postMessage(value: unknown, transferList?: readonly import('node:worker_threads').Transferable[]): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
  off(event: 'message', listener: (value: unknown) => void): unknown;
}

type ArgOf<F> = F extends () => unknown ? undefined : F extends (arg: infer A) => unknown ? A : never;
type ResultOf<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;
/** Methods without an argument are called without one (or with `undefined`, before options). */
type ArgTuple<F> = F extends () => unknown ? [arg?: undefined] : [arg: ArgOf<F>];

/** The handlers a side implements for its own api. */
export type RpcHandlers<Api extends RpcApi> = {
  readonly [K in keyof Api['calls']]: (arg: ArgOf<Api['calls'][K]>) => unknown;
} & {
  readonly [K in keyof Api['notes']]: (arg: ArgOf<Api['notes'][K]>) => void;
};

type Wire =
  | { readonly rpc: 'call'; readonly id: number; readonly m: string; readonly a: unknown }
  | { readonly rpc: 'ok'; readonly id: number; readonly r: unknown }
  | { readonly rpc: 'err'; readonly id: number; readonly e: { message: string; code?: string } }
  | { readonly rpc: 'note'; readonly m: string; readonly a: unknown };

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
  readonly method: string;
}

/** @default 10000 ms: no control call between threads should take longer. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * One side of a link: serves `Local` and calls `Remote`. A call times out with RpcTimeoutError,
 * fails with RpcRemoteError when the handler threw, and with RpcClosedError when the link is
 * closed (the other thread died) before its answer.
 */
export class RpcLink<Local extends RpcApi, Remote extends RpcApi> {
  readonly #endpoint: RpcEndpoint;
  #handlers: Partial<Record<string, (arg: unknown) => unknown>> | undefined;
  /** Messages that arrived before `serve()`. */
  #early: Wire[] = [];
  readonly #pending = new Map<number, Pending>();
  readonly #name: string;
  #nextId = 1;
  #closed = false;
  readonly #onMessage = (value: unknown): void => this.#receive(value as Wire);

  /**
   * @param name who is at the other end (`shard-1`, `gateway-0`, `main`), for error messages.
   * @param onError where a failing note handler or a malformed message is reported.
   */
  constructor(
    endpoint: RpcEndpoint,
    name: string,
    readonly onError: (err: unknown, context: string) => void = () => {},
  ) {
    this.#endpoint = endpoint;
    this.#name = name;
    endpoint.on('message', this.#onMessage);
  }

  /**
   * Starts answering with `handlers`. A side serves once it is ready (a shard once its game is
   * loaded); what arrives before is kept and handled then, in order.
   */
  serve(handlers: RpcHandlers<Local>): this {
    this.#handlers = handlers as unknown as Partial<Record<string, (arg: unknown) => unknown>>;
    const early = this.#early;
    this.#early = [];
    for (const msg of early) this.#receive(msg);
    return this;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Calls a method of the other side; resolves with its result. */
  call<K extends keyof Remote['calls'] & string>(
    method: K,
    ...[arg, options]: [...ArgTuple<Remote['calls'][K]>, options?: { timeoutMs?: number }]
  ): Promise<ResultOf<Remote['calls'][K]>> {
    if (this.#closed) return Promise.reject(new RpcClosedError(this.#name, method));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RpcTimeoutError(this.#name, method, timeoutMs));
      }, timeoutMs);
      timer.unref();
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, method });
      this.#endpoint.postMessage({ rpc: 'call', id, m: method, a: arg } satisfies Wire);
    });
  }

  /** Sends a one-way message; `transfer` moves MessagePorts or buffers with it. */
  notify<K extends keyof Remote['notes'] & string>(
    method: K,
    ...[arg, transfer]: [
      ...ArgTuple<Remote['notes'][K]>,
      transfer?: readonly import('node:worker_threads').Transferable[],
    ]
  ): void {
    if (this.#closed) return;
    this.#endpoint.postMessage({ rpc: 'note', m: method, a: arg } satisfies Wire, transfer);
  }

  /** Stops listening; pending calls fail with RpcClosedError (the other side is gone). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#endpoint.off('message', this.#onMessage);
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      this.#pending.delete(id);
      p.reject(new RpcClosedError(this.#name, p.method));
    }
  }

  #receive(msg: Wire): void {
    if (msg === null || typeof msg !== 'object' || typeof (msg as { rpc?: unknown }).rpc !== 'string') {
      this.onError(new Error('a message that is not an rpc message'), this.#name);
      return;
    }
    if (this.#handlers === undefined && (msg.rpc === 'note' || msg.rpc === 'call')) {
      this.#early.push(msg);
      return;
    }
    switch (msg.rpc) {
      case 'note': {
        const handler = this.#handlers?.[msg.m];
        if (handler === undefined) {
          this.onError(new Error(`no handler for note "${msg.m}"`), this.#name);
          return;
        }
        try {
          handler(msg.a);
        } catch (err) {
          this.onError(err, `${this.#name}: note ${msg.m}`);
        }
        return;
      }
      case 'call':
        void this.#answer(msg.id, msg.m, msg.a);
        return;
      case 'ok':
      case 'err': {
        const pending = this.#pending.get(msg.id);
        if (pending === undefined) return; // timed out already
        this.#pending.delete(msg.id);
        clearTimeout(pending.timer);
        if (msg.rpc === 'ok') pending.resolve(msg.r);
        else pending.reject(new RpcRemoteError(this.#name, pending.method, msg.e.message, msg.e.code));
        return;
      }
    }
  }

  async #answer(id: number, method: string, arg: unknown): Promise<void> {
    const handler = this.#handlers?.[method];
    try {
      if (handler === undefined) throw new Error(`no handler for call "${method}"`);
      const result = await handler(arg);
      if (!this.#closed) this.#endpoint.postMessage({ rpc: 'ok', id, r: result } satisfies Wire);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const code = (e as { code?: unknown }).code;
      if (!this.#closed) {
        this.#endpoint.postMessage({
          rpc: 'err',
          id,
          e: { message: e.message, ...(typeof code === 'string' ? { code } : {}) },
        } satisfies Wire);
      }
    }
  }
}
