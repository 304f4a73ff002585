import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { EngineConfig } from '../config/engine-config.js';
import { GatewayCrashedError, ListenError, RpcRemoteError, WorkerStartError } from '../errors.js';
import type { TransportKind } from '../gateway/transport/transport.js';
import { engineFile } from '../ipc/engine-files.js';
import type {
  DetachResult,
  GatewayApi,
  GatewayWorkerData,
  MainForGatewayApi,
  OrphanSession,
} from '../ipc/gateway-link.js';
import type { Heartbeat } from '../ipc/heartbeat.js';
import { createInputRing } from '../ipc/input-ring.js';
import { type RpcHandlers, RpcLink } from '../ipc/rpc.js';
import { createSocketsClosedSignal } from '../ipc/sockets-closed-signal.js';
import type { Logger } from '../logging/logger.js';
import { forwardWorkerLogs } from '../logging/worker-logs.js';
import type { ThreadMetricsSnapshot } from '../metrics/aggregate-metrics.js';
import { stopWorker } from '../supervisor/stop-worker.js';
import { closeSocketsOnExit } from './close-sockets-on-exit.js';
import { freePort } from './free-port.js';
import { spawnWorker } from './spawn-worker.js';

/** Crashes within this window count towards the restart backoff, in ms. */
const CRASH_WINDOW_MS = 60_000;
/** Longest wait before a restart, after many crashes in the window, in ms. */
const MAX_RESTART_DELAY_MS = 30_000;
/** Longest wait for a restarted gateway to listen, in ms. */
const LISTEN_TIMEOUT_MS = 60_000;

export interface GatewayPoolOptions {
  readonly config: EngineConfig;
  /**
   * Shards a restarted gateway is wired to: this node's, and on a cluster node the other nodes'
   * shards its players reach (server/cluster-links.ts). @default config.shards
   */
  readonly shardCount?: () => number;
  /** Gateway threads (`gatewayThreads`, or 1 where the transport cannot share the port). */
  readonly threads: number;
  /** The transport every gateway thread runs. */
  readonly transport: TransportKind;
  /** Whether the threads share the port (each listens on it). */
  readonly sharePort: boolean;
  readonly heartbeat: Heartbeat;
  readonly log: Logger;
  /** Main verifies logins (a verifier object was given in code, or accounts in the store). */
  readonly verifyInMain: boolean;
  readonly registrations: boolean;
  /** What main answers gateway `gateway` (logins, resumes, verification, metrics). */
  readonly handlers: (gateway: number) => Omit<RpcHandlers<MainForGatewayApi>, 'fatal'>;
  /**
   * Gives a shard its end of a new gateway–shard port and the gateway's input ring to it
   * (supervisor.notify attachGateway); false when the shard is down (it is wired when it is back).
   */
  readonly attachToShard: (
    shard: number,
    gateway: number,
    port: MessagePort,
    ring: SharedArrayBuffer,
  ) => boolean;
  /** The first connection id a (re)started thread of `gateway` gives out. */
  readonly firstConn: (gateway: number) => number;
  readonly events: {
    /** A running gateway thread crashed; it is restarted. */
    down(gateway: number, err: GatewayCrashedError): void;
    /** A crashed gateway runs again, wired to every shard that is up. */
    restarted(gateway: number): void;
  };
}

interface GatewaySlot {
  readonly worker: Worker;
  readonly link: RpcLink<MainForGatewayApi, GatewayApi>;
  /** Resolves once the thread has exited. */
  readonly exited: Promise<void>;
  /** Set when the worker said why it failed (before it exited). */
  fatal: string | undefined;
  /** Set by the thread once `closeNow` has closed its sockets (ipc/sockets-closed-signal.ts). */
  readonly socketsClosed: SharedArrayBuffer;
}

/**
 * The gateway threads: each a transport listening on the same port (the kernel balances new
 * connections between them), each linked to main for logins and control, and to every shard by a
 * direct port per pair. A gateway thread that crashes (an uncaught error: it closes its sockets
 * itself, since a thread that ends with uWS sockets open aborts the process) is restarted on the same
 * port, with connection ids above those of the thread it replaces, and wired to every shard
 * again; the others keep serving meanwhile.
 */
export class GatewayPool {
  readonly #options: GatewayPoolOptions;
  readonly #slots: Array<GatewaySlot | undefined> = [];
  /** Listening and wired to the shards. */
  readonly #up: boolean[] = [];
  readonly #waiters: Array<Array<(up: boolean) => void>> = [];
  readonly #crashes: number[][] = [];
  readonly #restartTimers = new Set<NodeJS.Timeout>();
  /** Open connections over every gateway (Int32 slot 0), for maxConnections. */
  readonly #counters = new SharedArrayBuffer(16);
  #port = 0;
  #running = false;
  /** Stops closing this pool's sockets when the process exits (set while it runs). */
  #unguardExit: (() => void) | undefined;

  constructor(options: GatewayPoolOptions) {
    this.#options = options;
    for (let g = 0; g < options.threads; g++) {
      this.#up.push(false);
      this.#waiters.push([]);
      this.#crashes.push([]);
    }
  }

  get count(): number {
    return this.#up.length;
  }

  /** Whether gateway `g` is listening and wired to the shards. */
  isUp(g: number): boolean {
    return this.#up[g] ?? false;
  }

  /**
   * Starts every gateway: the first listens (on a free port when `port` is 0 and there are several,
   * since uWS shares only an explicit port), the others then share its port.
   */
  async start(): Promise<{ port: number; transport: TransportKind }> {
    const { config, threads } = this.#options;
    const wanted = config.port === 0 && threads > 1 ? await freePort(config.host) : config.port;
    const first = await this.#startOne(0, wanted);
    this.#port = first.port;
    const rest: Array<Promise<unknown>> = [];
    for (let g = 1; g < threads; g++) rest.push(this.#startOne(g, first.port));
    await Promise.all(rest);
    this.#running = true;
    for (let g = 0; g < this.count; g++) this.#up[g] = true;
    this.#unguardExit = closeSocketsOnExit(() => this.#closeNow());
    return first;
  }

  /**
   * Wires a (re)started shard to every gateway: a direct port per pair for its output, and a fresh
   * input ring per pair (a ring is never reused: a dead shard's unread input stays the gateway's).
   */
  connectShard(shard: number, restarted: boolean): void {
    for (let g = 0; g < this.#slots.length; g++) this.#wire(g, shard, restarted);
  }

  shardDown(shard: number): void {
    for (const slot of this.#slots) slot?.link.notify('shardDown', shard);
  }

  /** Closes `username`'s connection on whichever gateway has it (a login elsewhere took over). */
  kick(username: string, code: number, reason: string): void {
    for (const slot of this.#slots) slot?.link.notify('kick', { username, code, reason });
  }

  /** Resolves true once gateway `g` is up (at once when it is), false after `timeoutMs` or at stop. */
  whenUp(g: number, timeoutMs: number): Promise<boolean> {
    if (this.#up[g] === true) return Promise.resolve(true);
    if (!this.#running || this.#waiters[g] === undefined) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiters = this.#waiters[g]!;
      const timer = setTimeout(() => {
        const i = waiters.indexOf(wake);
        if (i >= 0) waiters.splice(i, 1);
        resolve(false);
      }, timeoutMs);
      const wake = (up: boolean): void => {
        clearTimeout(timer);
        resolve(up);
      };
      waiters.push(wake);
    });
  }

  /** Asks gateway `g` to move a character to another gateway's connection (a resume there). */
  async detach(
    g: number,
    arg: { conn: number; gateway: number; toConn: number },
    timeoutMs: number,
  ): Promise<DetachResult> {
    const slot = this.#slots[g];
    if (slot === undefined || !this.#up[g]) return { ok: false };
    return slot.link.call('detach', arg, { timeoutMs });
  }

  /** Hands a restarted gateway the characters of the thread it replaces. */
  adopt(g: number, arg: { held: OrphanSession[]; leave: Array<{ conn: number; shard: number }> }): void {
    this.#slots[g]?.link.notify('adopt', arg);
  }

  stopAccepting(): void {
    for (const slot of this.#slots) slot?.link.notify('stopAccepting');
  }

  /** Every gateway says `bye` to its sockets and closes them; resolves when all did (or timed out). */
  async byeAll(code: number, reason: string, timeoutMs: number): Promise<void> {
    await Promise.all(
      this.#slots.map((slot) =>
        slot?.link.call('byeAll', { code, reason }, { timeoutMs }).catch((err: unknown) => {
          this.#options.log.warn({ err }, 'a gateway did not close its sockets in time');
        }),
      ),
    );
  }

  /** Every gateway's metrics (those that answer in time). */
  async metrics(timeoutMs: number): Promise<ThreadMetricsSnapshot[]> {
    const all = await Promise.all(
      this.#slots.map((slot) => slot?.link.call('metrics', undefined, { timeoutMs }).catch(() => undefined)),
    );
    return all.filter((m): m is ThreadMetricsSnapshot => m !== undefined);
  }

  /**
   * For tests and drills: makes gateway `g` fail as an uncaught error in it would (it closes its
   * sockets and ends; the pool restarts it). Resolves once the thread has exited.
   */
  async kill(g: number): Promise<void> {
    const slot = this.#slots[g];
    if (slot === undefined) return;
    slot.link.notify('crash');
    await slot.exited;
  }

  /**
   * Stops every gateway: each closes its listen socket and connections and lets go of its ports,
   * and the thread ends by itself once its sockets are closed. Terminating a thread while a uWS
   * socket is still open can crash the process, so that is only the last resort, past
   * `timeoutMs`. A gateway being restarted is stopped too.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.#running = false;
    for (const timer of this.#restartTimers) clearTimeout(timer);
    this.#restartTimers.clear();
    for (let g = 0; g < this.#waiters.length; g++) this.#wake(g, false);
    await Promise.all(
      this.#slots.map(async (slot) => {
        if (slot === undefined) return;
        await stopWorker(
          slot.worker,
          () => void slot.link.call('stop', undefined, { timeoutMs }).catch(() => {}),
          timeoutMs,
        );
        slot.link.close();
      }),
    );
    // Only now: the process may exit while the threads are stopping.
    this.#unguardExit?.();
    this.#unguardExit = undefined;
  }

  /**
   * Asks every running gateway thread to close its sockets at once (the process is exiting under
   * the server: server/close-sockets-on-exit.ts); returns the signals they set once they have.
   */
  #closeNow(): SharedArrayBuffer[] {
    const open = this.#slots.filter(
      (slot): slot is GatewaySlot => slot !== undefined && slot.worker.threadId !== -1,
    );
    for (const slot of open) {
      try {
        slot.link.notify('closeNow');
      } catch {
        // Its port is closed: the thread is ending anyway.
      }
    }
    return open.map((slot) => slot.socketsClosed);
  }

  /** Gives gateway `g` a fresh port to `shard` (when the shard is up). */
  #wire(g: number, shard: number, restarted: boolean): void {
    const slot = this.#slots[g];
    if (slot === undefined) return;
    const { port1, port2 } = new MessageChannel();
    // A fresh ring each time: a restarted gateway or shard starts from an empty one.
    const ring = createInputRing(this.#options.config.inputRingBytes);
    if (!this.#options.attachToShard(shard, g, port2, ring)) {
      port1.close();
      return;
    }
    slot.link.notify('attachShard', { shard, port: port1, ring, restarted }, [port1]);
  }

  #wake(g: number, up: boolean): void {
    for (const wake of this.#waiters[g]?.splice(0) ?? []) wake(up);
  }

  /** A running gateway crashed: restart it, at once the first time, then backing off. */
  #restart(g: number): void {
    const now = Date.now();
    const crashes = this.#crashes[g]!.filter((t) => now - t < CRASH_WINDOW_MS);
    crashes.push(now);
    this.#crashes[g] = crashes;
    const delay = crashes.length <= 1 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 250 * 2 ** (crashes.length - 1));
    const timer = setTimeout(() => {
      this.#restartTimers.delete(timer);
      if (!this.#running) return;
      this.#startOne(g, this.#port).then(
        () => {
          if (!this.#running) return;
          // It crashed again before it was wired (its exit found it not up yet).
          if (this.#slots[g] === undefined) {
            this.#restart(g);
            return;
          }
          const shards = this.#options.shardCount?.() ?? this.#options.config.shards;
          for (let s = 0; s < shards; s++) this.#wire(g, s, false);
          this.#up[g] = true;
          this.#options.log.warn({ gateway: g }, 'gateway restarted; its players may resume');
          // Before the waiters (resumes) run: the restarted thread holds the characters first.
          this.#options.events.restarted(g);
          this.#wake(g, true);
        },
        (err: unknown) => {
          // A thread that started but could not listen is stopped before the next attempt.
          const failed = this.#slots[g];
          if (failed !== undefined) {
            this.#slots[g] = undefined;
            const ask = () => void failed.link.call('stop', undefined, { timeoutMs: 5_000 }).catch(() => {});
            void stopWorker(failed.worker, ask, LISTEN_TIMEOUT_MS);
          }
          if (!this.#running) return;
          this.#options.log.error({ err, gateway: g }, 'a gateway failed to restart; trying again');
          this.#restart(g);
        },
      );
    }, delay);
    this.#restartTimers.add(timer);
  }

  async #startOne(index: number, port: number): Promise<{ port: number; transport: TransportKind }> {
    const o = this.#options;
    const data: GatewayWorkerData = {
      kind: 'gateway',
      index,
      shards: o.config.shards,
      config: o.config,
      heartbeat: o.heartbeat.buffer,
      counters: this.#counters,
      verifyInMain: o.verifyInMain,
      registrations: o.registrations,
      firstConn: o.firstConn(index),
      transport: o.transport,
      sharePort: o.sharePort,
      socketsClosed: createSocketsClosedSignal(),
    };
    const worker = spawnWorker(engineFile('gateway/gateway-worker.js'), {
      workerData: data,
      name: `leviathan-gateway-${index}`,
      stdout: true, // forwarded in order by forwardWorkerLogs
    });
    forwardWorkerLogs(worker, o.log, `gateway-${index}`);
    const link = new RpcLink<MainForGatewayApi, GatewayApi>(worker, `gateway-${index}`, (err, context) =>
      o.log.error({ err, context }, 'a gateway control message failed'),
    );
    let exitCode = 0;
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        exitCode = code;
        resolve();
      }),
    );
    const slot: GatewaySlot = { worker, link, exited, fatal: undefined, socketsClosed: data.socketsClosed };
    this.#slots[index] = slot;
    link.serve({
      ...o.handlers(index),
      fatal: ({ message }) => {
        slot.fatal = message;
      },
    });
    worker.on('error', (err) => o.log.error({ err, gateway: index }, 'gateway thread failed'));
    void exited.then(() => {
      link.close();
      if (this.#slots[index] !== slot) return;
      this.#slots[index] = undefined;
      const wasUp = this.#up[index] === true;
      this.#up[index] = false;
      if (!this.#running || !wasUp) return;
      const err = new GatewayCrashedError(index, { cause: new Error(slot.fatal ?? `exit code ${exitCode}`) });
      o.log.error(
        { err, gateway: index },
        'a gateway thread crashed; restarting it (its players may resume)',
      );
      o.events.down(index, err);
      this.#restart(index);
    });
    const failed = exited.then(() => {
      throw new WorkerStartError(`gateway ${index}`, {
        cause: new Error(slot.fatal ?? `exit code ${exitCode}`),
      });
    });
    failed.catch(() => {});
    try {
      return await Promise.race([link.call('listen', { port }, { timeoutMs: LISTEN_TIMEOUT_MS }), failed]);
    } catch (err) {
      if (err instanceof RpcRemoteError) throw new ListenError(o.config.host, port, { cause: err });
      throw err;
    }
  }
}
