import { MessageChannel, type Worker } from 'node:worker_threads';
import type { EngineConfig } from '../config/engine-config.js';
import { ListenError, RpcRemoteError, UwsFallbackError, WorkerStartError } from '../errors.js';
import { engineFile } from '../ipc/engine-files.js';
import type { GatewayApi, GatewayWorkerData, MainForGatewayApi } from '../ipc/gateway-link.js';
import type { Heartbeat } from '../ipc/heartbeat.js';
import { createInputRing } from '../ipc/input-ring.js';
import { type RpcHandlers, RpcLink } from '../ipc/rpc.js';
import type { Logger } from '../logging/logger.js';
import { forwardWorkerLogs, workerLogOptions } from '../logging/worker-logs.js';
import type { ThreadMetricsSnapshot } from '../metrics/aggregate-metrics.js';
import { stopWorker } from '../supervisor/stop-worker.js';
import { freePort } from './free-port.js';
import { spawnWorker } from './spawn-worker.js';

export interface GatewayPoolOptions {
  readonly config: EngineConfig;
  readonly heartbeat: Heartbeat;
  readonly log: Logger;
  /** Main verifies logins (a verifier object was given in code, or accounts in the store). */
  readonly verifyInMain: boolean;
  readonly registrations: boolean;
  /** What main answers the gateways (logins, verification, metrics). */
  readonly handlers: Omit<RpcHandlers<MainForGatewayApi>, 'fatal'>;
  /** Gives a shard its end of a new gateway–shard port and the ring (supervisor.notify attachGateway). */
  readonly attachToShard: (
    shard: number,
    gateway: number,
    port: import('node:worker_threads').MessagePort,
    ring: SharedArrayBuffer,
  ) => void;
}

interface GatewaySlot {
  readonly worker: Worker;
  readonly link: RpcLink<MainForGatewayApi, GatewayApi>;
  /** Set when the worker said why it failed (before it exited). */
  fatal: string | undefined;
}

/**
 * The gateway threads: each a uWS App on the same port (the kernel balances new connections
 * between them), each linked to main for logins and control, and to every shard by a direct
 * port per pair.
 */
export class GatewayPool {
  readonly #options: GatewayPoolOptions;
  readonly #slots: Array<GatewaySlot | undefined> = [];
  /** Open connections over every gateway (Int32 slot 0), for maxConnections. */
  readonly #counters = new SharedArrayBuffer(16);
  #running = false;

  constructor(options: GatewayPoolOptions) {
    this.#options = options;
  }

  get count(): number {
    return this.#slots.length;
  }

  /**
   * Starts every gateway: the first listens (on a free port when `port` is 0 and there are several,
   * since uWS shares only an explicit port), the others then share its port.
   */
  async start(): Promise<{ port: number; native: boolean }> {
    const { config } = this.#options;
    const wanted = config.port === 0 && config.gatewayThreads > 1 ? await freePort(config.host) : config.port;
    const first = await this.#startOne(0, wanted);
    const rest: Array<Promise<unknown>> = [];
    for (let g = 1; g < config.gatewayThreads; g++) rest.push(this.#startOne(g, first.port));
    await Promise.all(rest);
    this.#running = true;
    return first;
  }

  /**
   * Wires a (re)started shard to every gateway: a direct port per pair for its output, and a fresh
   * input ring per pair (a ring is never reused: a dead shard's unread input stays the gateway's).
   */
  connectShard(shard: number, restarted: boolean): void {
    for (let g = 0; g < this.#slots.length; g++) {
      const slot = this.#slots[g];
      if (slot === undefined) continue;
      const { port1, port2 } = new MessageChannel();
      const ring = createInputRing(this.#options.config.inputRingBytes);
      this.#options.attachToShard(shard, g, port2, ring);
      slot.link.notify('attachShard', { shard, port: port1, ring, restarted }, [port1]);
    }
  }

  shardDown(shard: number): void {
    for (const slot of this.#slots) slot?.link.notify('shardDown', shard);
  }

  /** Closes `username`'s connection on whichever gateway has it (a login elsewhere took over). */
  kick(username: string, code: number, reason: string): void {
    for (const slot of this.#slots) slot?.link.notify('kick', { username, code, reason });
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
   * Stops every gateway: each closes its listen socket and connections and lets go of its ports,
   * and the thread ends by itself once uWS has finished closing the sockets. Terminating a thread
   * while a socket is still closing can crash the process (uWS 20.30 has no App.close()), so that
   * is only the last resort, past `timeoutMs`.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.#running = false;
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
  }

  async #startOne(index: number, port: number): Promise<{ port: number; native: boolean }> {
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
    };
    const worker = spawnWorker(engineFile('gateway/gateway-worker.js'), {
      workerData: data,
      name: `leviathan-gateway-${index}`,
      ...workerLogOptions(o.log),
    });
    forwardWorkerLogs(worker, o.log, `gateway-${index}`);
    const link = new RpcLink<MainForGatewayApi, GatewayApi>(worker, `gateway-${index}`, (err, context) =>
      o.log.error({ err, context }, 'a gateway control message failed'),
    );
    const slot: GatewaySlot = { worker, link, fatal: undefined };
    this.#slots[index] = slot;
    link.serve({
      ...o.handlers,
      fatal: ({ message }) => {
        slot.fatal = message;
      },
    });
    const exited = new Promise<never>((_, reject) => {
      worker.on('error', (err) => {
        o.log.error({ err, gateway: index }, 'gateway thread failed');
        reject(new WorkerStartError(`gateway ${index}`, { cause: err }));
      });
      worker.on('exit', (code) => {
        link.close();
        if (this.#slots[index] === slot) this.#slots[index] = undefined;
        if (this.#running)
          o.log.fatal({ gateway: index, code }, 'a gateway thread exited; its clients are disconnected');
        reject(
          new WorkerStartError(`gateway ${index}`, { cause: new Error(slot.fatal ?? `exit code ${code}`) }),
        );
      });
    });
    exited.catch(() => {});
    try {
      return await Promise.race([link.call('listen', { port }, { timeoutMs: 60_000 }), exited]);
    } catch (err) {
      if (err instanceof RpcRemoteError && err.remoteCode === 'LEV_ERR_ENGINE_UWS_FALLBACK')
        throw new UwsFallbackError();
      if (err instanceof RpcRemoteError) throw new ListenError(o.config.host, port, { cause: err });
      throw err;
    }
  }
}
